package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The date steps of incremental and reprocess runs: the dates trips touch, and the trips of some dates. */
@ExtendWith(TestPipelineExtension.class)
class SelectDatesTest {
  // 23:50 in New York on 2021-01-01 is 04:50Z on the 2nd: the New York date counts.
  private static final Trip LATE_EVENING =
      TestTrips.trip(LocalDateTime.of(2021, 1, 1, 23, 50), 20, 142, 43, 2.1, 800, 0);
  private static final Trip NEXT_MORNING =
      TestTrips.trip(LocalDateTime.of(2021, 1, 2, 8, 0), 10, 142, 43, 1.5, 700, 0);
  private static final Trip MORNING_AGAIN =
      TestTrips.trip(LocalDateTime.of(2021, 1, 2, 9, 0), 10, 43, 142, 1.5, 750, 0);
  private static final RejectedRecord BAD =
      RejectedRecord.of(RejectReason.UNPARSEABLE, "ValidateTrips", "a.csv", 3, "x", "2 fields");

  private static PCollection<CheckedTrip> records(TestPipeline p) {
    return p.apply(
        Create.of(
                CheckedTrip.trip(LATE_EVENING),
                CheckedTrip.trip(NEXT_MORNING),
                CheckedTrip.trip(MORNING_AGAIN),
                CheckedTrip.rejected(BAD),
                CheckedTrip.count(CheckedTrip.READ_ROWS, 4))
            .withCoder(TripCoders.checkedTrip()));
  }

  @Test
  void touchedDatesAreTheNewYorkPickupDatesOnce(TestPipeline p) {
    PAssert.that(records(p).apply(SelectTouchedDates.of())).containsInAnyOrder("2021-01-01", "2021-01-02");
    p.run();
  }

  @Test
  void tripsOfOtherDatesAreDroppedAndCountedTheRestPasses(TestPipeline p) {
    PAssert.that(records(p).apply(SelectPickupDates.of(Set.of("2021-01-02"))))
        .containsInAnyOrder(
            List.of(
                CheckedTrip.trip(NEXT_MORNING),
                CheckedTrip.trip(MORNING_AGAIN),
                CheckedTrip.rejected(BAD),
                CheckedTrip.count(CheckedTrip.READ_ROWS, 4),
                CheckedTrip.count(CheckedTrip.OUTSIDE_DATES, 1)));
    p.run();
  }
}
