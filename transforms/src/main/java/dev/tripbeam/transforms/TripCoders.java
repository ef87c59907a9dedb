package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

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

  static void writeString(DataOutputStream out, @Nullable String s) throws IOException {
    if (s == null) {
      VarInt.encode(0, out);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    VarInt.encode(bytes.length + 1, out);
    out.write(bytes);
  }

  static @Nullable String readString(DataInputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n == 0) {
      return null;
    }
    byte[] bytes = new byte[n - 1];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static void writeInt(DataOutputStream out, @Nullable Integer v) throws IOException {
    out.writeBoolean(v != null);
    if (v != null) {
      VarInt.encode(v, out);
    }
  }

  static @Nullable Integer readInt(DataInputStream in) throws IOException {
    return in.readBoolean() ? VarInt.decodeInt(in) : null;
  }

  /**
   * A coder that writes and reads through data streams. A value is written into a buffer of the thread and goes out
   * as its length and one block of bytes, and is read back from one block: a runner's stream sees two calls per value,
   * not one per field and byte (on Flink each is a call through Beam's stream wrapper).
   */
  abstract static class DataCoder<T> extends StatelessCoder<T> {
    private static final long serialVersionUID = 1L;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    abstract void write(T value, DataOutputStream out) throws IOException;

    abstract T read(DataInputStream in) throws IOException;

    @Override
    public final void encode(T value, OutputStream os) throws IOException {
      Scratch scratch = Scratch.take();
      try {
        scratch.output.reset();
        write(value, scratch.data);
        VarInt.encode(scratch.output.size(), os);
        scratch.output.writeTo(os);
      } finally {
        scratch.busy = false;
      }
    }

    @Override
    public final T decode(InputStream is) throws IOException {
      int length = VarInt.decodeInt(is);
      Scratch scratch = Scratch.take();
      try {
        scratch.input.fill(is, length);
        return read(scratch.dataIn);
      } finally {
        scratch.busy = false;
      }
    }

    /** A thread's buffers; a coder that runs inside another one's {@link #encode} gets buffers of its own. */
    private static final class Scratch {
      final Output output = new Output();
      final DataOutputStream data = new DataOutputStream(output);
      final Input input = new Input();
      final DataInputStream dataIn = new DataInputStream(input);
      boolean busy;

      static Scratch take() {
        Scratch scratch = SCRATCH.get();
        if (scratch.busy) {
          scratch = new Scratch();
        }
        scratch.busy = true;
        return scratch;
      }
    }

    /** A growable byte buffer without the locks of {@code ByteArrayOutputStream}. */
    private static final class Output extends OutputStream {
      private byte[] buf = new byte[256];
      private int count;

      void reset() {
        count = 0;
      }

      int size() {
        return count;
      }

      void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, count);
      }

      private void ensure(int more) {
        if (count + more > buf.length) {
          buf = Arrays.copyOf(buf, Math.max(count + more, buf.length * 2));
        }
      }

      @Override
      public void write(int b) {
        ensure(1);
        buf[count++] = (byte) b;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
      }
    }

    /** One value's bytes, read without the locks of {@code ByteArrayInputStream}. */
    private static final class Input extends InputStream {
      private byte[] buf = new byte[256];
      private int pos;
      private int count;

      void fill(InputStream from, int length) throws IOException {
        if (buf.length < length) {
          buf = new byte[Math.max(length, buf.length * 2)];
        }
        int read = 0;
        while (read < length) {
          int n = from.read(buf, read, length - read);
          if (n < 0) {
            throw new EOFException("value cut short: " + read + " of " + length + " bytes");
          }
          read += n;
        }
        pos = 0;
        count = length;
      }

      @Override
      public int read() {
        return pos < count ? buf[pos++] & 0xFF : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (len == 0) {
          return 0;
        }
        if (pos >= count) {
          return -1;
        }
        int n = Math.min(len, count - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
      }

      @Override
      public int available() {
        return count - pos;
      }
    }
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
    RawTrip read(DataInputStream in) throws IOException {
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
    Trip read(DataInputStream in) throws IOException {
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
    EnrichedTrip read(DataInputStream in) throws IOException {
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
    RejectedRecord read(DataInputStream in) throws IOException {
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
    CheckedTrip read(DataInputStream in) throws IOException {
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
