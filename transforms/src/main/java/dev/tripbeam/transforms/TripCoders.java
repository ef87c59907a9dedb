package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Hand-written coders of the values that cross every stage: profiling the 1M-trip run showed Beam's schema coders
 * (row conversion by generated getters and creators) taking about a fifth of the CPU. These write the fields
 * directly; the schemas stay for everything else (PAssert, SQL, tests).
 */
public final class TripCoders {
  private TripCoders() {}

  public static RawTripCoder rawTrip() {
    return new RawTripCoder();
  }

  public static TripCoder trip() {
    return new TripCoder();
  }

  public static EnrichedTripCoder enrichedTrip() {
    return new EnrichedTripCoder();
  }

  public static RejectedRecordCoder rejectedRecord() {
    return new RejectedRecordCoder();
  }

  public static CheckedTripCoder checkedTrip() {
    return new CheckedTripCoder();
  }


  private static final TripCoder TRIP = new TripCoder();
  private static final RejectedRecordCoder REJECTED = new RejectedRecordCoder();

  /** Coder of {@link RawTrip}. */
  public static final class RawTripCoder extends DataCoder<RawTrip> {
    private static final long serialVersionUID = 1L;

    @Override
    void write(RawTrip r, DataOutputStream out) throws IOException {
      writeString(out, r.getSourceFile());
      VarInt.encode(r.getRowNumber(), out);
      writeString(out, r.getSource());
      writeString(out, r.getRaw());
      writeString(out, r.getStructureError());
      writeString(out, r.getTripId());
      writeString(out, r.getUserId());
      writeString(out, r.getVendorId());
      writeString(out, r.getPickup());
      writeString(out, r.getDropoff());
      writeString(out, r.getPassengerCount());
      writeString(out, r.getDistanceMiles());
      writeString(out, r.getPuZoneId());
      writeString(out, r.getDoZoneId());
      writeString(out, r.getFare());
      writeString(out, r.getTip());
      writeString(out, r.getTolls());
      writeString(out, r.getTotal());
      writeString(out, r.getPaymentType());
    }

    @Override
    RawTrip read(ValueInput in) throws IOException {
      return RawTrip.builder()
          .setSourceFile(readString(in))
          .setRowNumber(VarInt.decodeLong(in))
          .setSource(readString(in))
          .setRaw(readString(in))
          .setStructureError(readString(in))
          .setTripId(readString(in))
          .setUserId(readString(in))
          .setVendorId(readString(in))
          .setPickup(readString(in))
          .setDropoff(readString(in))
          .setPassengerCount(readString(in))
          .setDistanceMiles(readString(in))
          .setPuZoneId(readString(in))
          .setDoZoneId(readString(in))
          .setFare(readString(in))
          .setTip(readString(in))
          .setTolls(readString(in))
          .setTotal(readString(in))
          .setPaymentType(readString(in))
          .build();
    }
  }

  /** Coder of {@link Trip}. */
  public static final class TripCoder extends DataCoder<Trip> {
    private static final long serialVersionUID = 1L;

    @Override
    void write(Trip t, DataOutputStream out) throws IOException {
      writeString(out, t.getTripId());
      writeString(out, t.getSource());
      writeInt(out, t.getVendorId());
      out.writeLong(t.getPickupMicros());
      out.writeLong(t.getDropoffMicros());
      VarInt.encode(t.getPuZoneId(), out);
      VarInt.encode(t.getDoZoneId(), out);
      writeInt(out, t.getPassengerCount());
      out.writeDouble(t.getDistanceMiles());
      out.writeLong(t.getFareCents());
      out.writeLong(t.getTipCents());
      out.writeLong(t.getTollsCents());
      out.writeLong(t.getTotalCents());
      writeInt(out, t.getPaymentType());
      writeString(out, t.getUserId());
      writeString(out, t.getSourceFile());
      VarInt.encode(t.getSourceRow(), out);
    }

    @Override
    Trip read(ValueInput in) throws IOException {
      return Trip.builder()
          .setTripId(readString(in))
          .setSource(readString(in))
          .setVendorId(readInt(in))
          .setPickupMicros(in.readLong())
          .setDropoffMicros(in.readLong())
          .setPuZoneId(VarInt.decodeInt(in))
          .setDoZoneId(VarInt.decodeInt(in))
          .setPassengerCount(readInt(in))
          .setDistanceMiles(in.readDouble())
          .setFareCents(in.readLong())
          .setTipCents(in.readLong())
          .setTollsCents(in.readLong())
          .setTotalCents(in.readLong())
          .setPaymentType(readInt(in))
          .setUserId(readString(in))
          .setSourceFile(readString(in))
          .setSourceRow(VarInt.decodeLong(in))
          .build();
    }
  }

  /** Coder of {@link EnrichedTrip}. */
  public static final class EnrichedTripCoder extends DataCoder<EnrichedTrip> {
    private static final long serialVersionUID = 1L;

    @Override
    void write(EnrichedTrip e, DataOutputStream out) throws IOException {
      TRIP.write(e.getTrip(), out);
      writeString(out, e.getPuBorough());
      writeString(out, e.getPuZone());
      writeString(out, e.getDoBorough());
      writeString(out, e.getDoZone());
    }

    @Override
    EnrichedTrip read(ValueInput in) throws IOException {
      return EnrichedTrip.builder()
          .setTrip(TRIP.read(in))
          .setPuBorough(readString(in))
          .setPuZone(readString(in))
          .setDoBorough(readString(in))
          .setDoZone(readString(in))
          .build();
    }
  }

  /** Coder of {@link RejectedRecord}. */
  public static final class RejectedRecordCoder extends DataCoder<RejectedRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    void write(RejectedRecord r, DataOutputStream out) throws IOException {
      writeString(out, r.getReason());
      writeString(out, r.getStep());
      writeString(out, r.getSourceFile());
      VarInt.encode(r.getRowNumber(), out);
      writeString(out, r.getRaw());
      writeString(out, r.getDetail());
    }

    @Override
    RejectedRecord read(ValueInput in) throws IOException {
      return RejectedRecord.builder()
          .setReason(readString(in))
          .setStep(readString(in))
          .setSourceFile(readString(in))
          .setRowNumber(VarInt.decodeLong(in))
          .setRaw(readString(in))
          .setDetail(readString(in))
          .build();
    }
  }

  /** Coder of {@link CheckedTrip}: a kind byte, the payload, the count. */
  public static final class CheckedTripCoder extends DataCoder<CheckedTrip> {
    private static final long serialVersionUID = 1L;

    @Override
    void write(CheckedTrip c, DataOutputStream out) throws IOException {
      out.writeByte(c.getKind().ordinal());
      switch (c.getKind()) {
        case TRIP -> TRIP.write(c.trip(), out);
        case REJECTED -> REJECTED.write(c.getRejected(), out);
        case COUNT -> writeString(out, c.getLabel());
      }
      VarInt.encode(c.getCount(), out);
    }

    @Override
    CheckedTrip read(ValueInput in) throws IOException {
      CheckedTrip.Kind kind = CheckedTrip.Kind.values()[in.readByte()];
      return switch (kind) {
        case TRIP -> {
          Trip trip = TRIP.read(in);
          yield CheckedTrip.trip(trip, VarInt.decodeLong(in));
        }
        case REJECTED -> {
          RejectedRecord rejected = REJECTED.read(in);
          VarInt.decodeLong(in);
          yield CheckedTrip.rejected(rejected);
        }
        case COUNT -> {
          String label = readString(in);
          yield CheckedTrip.count(label, VarInt.decodeLong(in));
        }
      };
    }
  }
}
