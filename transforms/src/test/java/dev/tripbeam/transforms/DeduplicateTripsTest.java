package dev.tripbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class DeduplicateTripsTest {
  private static final LocalDateTime T0 = LocalDateTime.of(2021, 1, 1, 0, 30, 10);

  private static long counter(PipelineResult result, String name) {
    return result.metrics()
        .queryMetrics(
            MetricsFilter.builder().addNameFilter(MetricNameFilter.named(DeduplicateTrips.STEP, name)).build())
        .getCounters()
        .iterator()
        .next()
        .getAttempted();
  }

  private static PCollection<CheckedTrip> deduplicate(TestPipeline p, List<CheckedTrip> input) {
    return p.apply(Create.of(input).withCoder(TripCoders.checkedTrip())).apply(DeduplicateTrips.of());
  }

  private static List<CheckedTrip> checked(List<Trip> trips) {
    List<CheckedTrip> out = new ArrayList<>();
    trips.forEach(t -> out.add(CheckedTrip.trip(t)));
    return out;
  }

  @Test
  void keepsOneCanonicalCopyPerTripIdAndCountsTheRest(TestPipeline p) {
    Trip original = TestTrips.trip(T0, 6, 142, 43, 2.1, 800, 0);
    // Copies share the key (and so the id) but differ outside it: the lowest tip is the canonical one.
    Trip tipped = original.toBuilder().setTipCents(150).build();
    Trip moreTipped = original.toBuilder().setTipCents(300).setPassengerCount(4).build();
    Trip other = TestTrips.trip(T0.plusHours(1), 20, 132, 236, 17.3, 5200, 1000);
    List<Trip> input = new ArrayList<>(List.of(moreTipped, original, other, tipped, original));
    Collections.shuffle(input, new java.util.Random(7));

    PAssert.that(deduplicate(p, checked(input)))
        .containsInAnyOrder(
            CheckedTrip.trip(original), CheckedTrip.trip(other), CheckedTrip.count(CheckedTrip.COPIES_REMOVED, 3));
    PipelineResult result = p.run();
    assertEquals(2L, counter(result, "unique"));
    assertEquals(3L, counter(result, "duplicates"));
  }

  @Test
  void distinctTripsPassUnchanged(TestPipeline p) {
    List<Trip> trips = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      trips.add(TestTrips.trip(T0.plusMinutes(i), 5 + i, 142, 43, 1.0 + i, 500 + i, 0));
    }
    PAssert.that(deduplicate(p, checked(trips))).containsInAnyOrder(checked(trips));
    p.run();
  }

  @Test
  void rejectedRecordsPassEvenWhenEqualAndCountsAreSummedPerLabel(TestPipeline p) {
    // The same file listed twice gives equal rejections: both stay, as both rows were read.
    RejectedRecord bad =
        RejectedRecord.of(RejectReason.UNPARSEABLE, "ValidateTrips", "s3://lake/raw/a.csv", 7, "x,y", "2 fields");
    Trip trip = TestTrips.trip(T0, 6, 142, 43, 2.1, 800, 0);
    List<CheckedTrip> input =
        List.of(
            CheckedTrip.rejected(bad),
            CheckedTrip.rejected(bad),
            CheckedTrip.count(CheckedTrip.READ_ROWS, 5),
            CheckedTrip.count(CheckedTrip.READ_ROWS, 7),
            CheckedTrip.count("file_error:unreadable_file:b.csv", 1),
            CheckedTrip.trip(trip),
            CheckedTrip.trip(trip));
    PAssert.that(deduplicate(p, input))
        .containsInAnyOrder(
            CheckedTrip.rejected(bad),
            CheckedTrip.rejected(bad),
            CheckedTrip.count(CheckedTrip.READ_ROWS, 12),
            CheckedTrip.count("file_error:unreadable_file:b.csv", 1),
            CheckedTrip.trip(trip),
            CheckedTrip.count(CheckedTrip.COPIES_REMOVED, 1));
    p.run();
  }
}
