package dev.tripbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.Zone;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * Every value gives back what it was given through each coder it travels with: the schema coder the pipeline infers
 * (PAssert, tests) and, for the values that cross every stage, the hand-written one ({@link TripCoders}), every field
 * and every kind of {@link CheckedTrip}.
 */
class TripCodersTest {
  private static final SchemaRegistry SCHEMAS = SchemaRegistry.createDefault();

  private static final Trip APP_TRIP =
      TestTrips.trip(LocalDateTime.of(2024, 3, 4, 10, 11, 23), 17, 142, 43, 2.25, 461, 0).toBuilder()
          .setUserId("u000000000")
          .setTripId("7381876ebebfc52a")
          .setVendorId(null)
          .setPassengerCount(null)
          .build();

  private static final RejectedRecord REJECTED =
      RejectedRecord.of(RejectReason.UNPARSEABLE, ValidateTrips.STEP, "s3://lake/raw/a.parquet", 12, "{\"fare\": \"x\"}",
          "fare: not a number");

  private static final RawTrip RAW =
      RawTrip.builder().setSourceFile("f.csv").setRowNumber(7).setSource("yellow").setRaw("1,2021-0")
          .setStructureError("expected 18 fields, found 2").build();

  /** A TLC trip with nulls where TLC files leave fields empty, and a dropoff to the microsecond. */
  private static final Trip TLC_TRIP =
      TestTrips.trip(LocalDateTime.of(2021, 1, 1, 0, 30, 10), 6, 142, 43, 2.1, 800, 0).toBuilder()
          .setVendorId(null)
          .setPassengerCount(null)
          .setPaymentType(null)
          .setDropoff(Instant.parse("2021-01-01T05:36:12.000123Z"))
          .build();

  private static <T> void assertRoundTrip(T value, List<Coder<T>> coders) throws Exception {
    for (Coder<T> coder : coders) {
      assertEquals(
          value, CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, value)), coder.toString());
    }
  }

  private static <T> Coder<T> schema(Class<T> type) throws Exception {
    return SCHEMAS.getSchemaCoder(type);
  }

  @Test
  void checkedTripsOfEveryKindRoundTrip() throws Exception {
    List<Coder<CheckedTrip>> coder = List.of(TripCoders.checkedTrip());
    assertRoundTrip(CheckedTrip.trip(APP_TRIP), coder);
    assertRoundTrip(
        CheckedTrip.trip(TestTrips.trip(LocalDateTime.of(2021, 1, 1, 0, 30, 10), 6, 142, 43, 2.1, 800, 0), 3), coder);
    assertRoundTrip(CheckedTrip.rejected(REJECTED), coder);
    assertRoundTrip(CheckedTrip.count(CheckedTrip.READ_ROWS, 1_234_567_890_123L), coder);
    assertRoundTrip(CheckedTrip.count(CheckedTrip.COPIES_REMOVED, 0), coder);
  }

  @Test
  void tripsRoundTripThroughBothCoders() throws Exception {
    assertRoundTrip(APP_TRIP, List.of(TripCoders.trip(), schema(Trip.class)));
    assertRoundTrip(TLC_TRIP, List.of(TripCoders.trip(), schema(Trip.class)));
  }

  @Test
  void enrichedTripsRejectionsAndRawRowsRoundTripThroughBothCoders() throws Exception {
    assertRoundTrip(
        EnrichedTrip.of(APP_TRIP, TestTrips.zone(142), TestTrips.zone(43)),
        List.of(TripCoders.enrichedTrip(), schema(EnrichedTrip.class)));
    assertRoundTrip(REJECTED, List.of(TripCoders.rejectedRecord(), schema(RejectedRecord.class)));
    assertRoundTrip(RAW, List.of(TripCoders.rawTrip(), schema(RawTrip.class)));
  }

  @Test
  void zonesRoundTripThroughTheSchemaCoder() throws Exception {
    assertRoundTrip(Zone.of(264, "Unknown", "NV", "N/A"), List.of(schema(Zone.class)));
  }
}
