package dev.tripbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import java.time.LocalDateTime;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The hand-written coders give back what they were given, every field and every kind of {@link CheckedTrip}. */
class TripCodersTest {
  private static <T> void assertRoundTrip(Coder<T> coder, T value) throws Exception {
    assertEquals(value, CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, value)));
  }

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

  @Test
  void checkedTripsOfEveryKindRoundTrip() throws Exception {
    Coder<CheckedTrip> coder = TripCoders.checkedTrip();
    assertRoundTrip(coder, CheckedTrip.trip(APP_TRIP));
    assertRoundTrip(coder, CheckedTrip.trip(TestTrips.trip(LocalDateTime.of(2021, 1, 1, 0, 30, 10), 6, 142, 43, 2.1, 800, 0), 3));
    assertRoundTrip(coder, CheckedTrip.rejected(REJECTED));
    assertRoundTrip(coder, CheckedTrip.count(CheckedTrip.READ_ROWS, 1_234_567_890_123L));
    assertRoundTrip(coder, CheckedTrip.count(CheckedTrip.COPIES_REMOVED, 0));
  }

  @Test
  void tripsRejectionsAndRawRowsRoundTrip() throws Exception {
    assertRoundTrip(TripCoders.trip(), APP_TRIP);
    assertRoundTrip(TripCoders.rejectedRecord(), REJECTED);
    assertRoundTrip(
        TripCoders.enrichedTrip(), EnrichedTrip.of(APP_TRIP, TestTrips.zone(142), TestTrips.zone(43)));
    assertRoundTrip(
        TripCoders.rawTrip(),
        RawTrip.builder().setSourceFile("f.csv").setRowNumber(7).setSource("yellow").setRaw("1,2021-0")
            .setStructureError("expected 18 fields, found 2").build());
  }
}
