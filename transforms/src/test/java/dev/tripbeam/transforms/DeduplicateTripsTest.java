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
  void keepsOneCanonicalCopyPerTripIdCountsExactCopiesAndRejectsConflictingOnes(TestPipeline p) {
    Trip original = lineage(TestTrips.trip(T0, 6, 142, 43, 2.1, 800, 0), "a.csv", 3);
    // Exact copies: the same content read from other rows; the first in lineage order is kept.
    Trip copy = lineage(original, "b.csv", 1);
    Trip copyLater = lineage(original, "b.csv", 9);
    // Conflicting copies share the key (and so the id) but differ outside it.
    Trip tipped = lineage(original.toBuilder().setTipCents(150).build(), "c.csv", 4);
    Trip moreTipped = lineage(original.toBuilder().setTipCents(300).setPassengerCount(4).build(), "c.csv", 5);
    Trip other = lineage(TestTrips.trip(T0.plusHours(1), 20, 132, 236, 17.3, 5200, 1000), "a.csv", 4);
    List<Trip> input = new ArrayList<>(List.of(moreTipped, copyLater, original, other, tipped, copy));
    Collections.shuffle(input, new java.util.Random(7));

    PAssert.that(deduplicate(p, checked(input)))
        .containsInAnyOrder(
            CheckedTrip.trip(original),
            CheckedTrip.trip(other),
            CheckedTrip.count(CheckedTrip.COPIES_REMOVED, 2),
            CheckedTrip.count(CheckedTrip.CONFLICTING_COPIES, 2),
            CheckedTrip.rejected(
                RejectedRecord.of(
                    RejectReason.CONFLICTING_DUPLICATE,
                    DeduplicateTrips.STEP,
                    "c.csv",
                    4,
                    DeduplicateTrips.json(tipped),
                    "the kept copy of trip " + original.getTripId() + " differs from this one in tip_cents")),
            CheckedTrip.rejected(
                RejectedRecord.of(
                    RejectReason.CONFLICTING_DUPLICATE,
                    DeduplicateTrips.STEP,
                    "c.csv",
                    5,
                    DeduplicateTrips.json(moreTipped),
                    "the kept copy of trip " + original.getTripId() + " differs from this one in "
                        + "passenger_count, tip_cents")));
    PipelineResult result = p.run();
    assertEquals(2L, counter(result, "unique"));
    assertEquals(2L, counter(result, "duplicates"));
    assertEquals(2L, counter(result, "conflicting_duplicates"));
  }

  @Test
  void aCopyKeptIsTheSameWhicheverArrivesFirst() {
    Trip a = lineage(TestTrips.trip(T0, 6, 142, 43, 2.1, 800, 0), "a.csv", 3);
    Trip b = lineage(a.toBuilder().setFareCents(700).build(), "z.csv", 1);
    Trip c = lineage(a, "a.csv", 2);
    List<Trip> all = List.of(a, b, c);
    assertEquals(b, Collections.min(all, DeduplicateTrips.CANONICAL_ORDER), "the lowest fare first");
    assertEquals(c, Collections.min(List.of(a, c), DeduplicateTrips.CANONICAL_ORDER), "then the lineage");
    assertEquals(
        "{\"trip_id\":\"" + a.getTripId() + "\",\"source\":\"yellow\",\"vendor_id\":1,"
            + "\"pickup_datetime\":\"2021-01-01T05:30:10Z\",\"dropoff_datetime\":\"2021-01-01T05:36:10Z\","
            + "\"pu_zone_id\":142,\"do_zone_id\":43,\"passenger_count\":null,\"trip_distance\":2.1,"
            + "\"fare_cents\":800,\"tip_cents\":0,\"tolls_cents\":0,\"total_cents\":880,\"payment_type\":1,"
            + "\"user_id\":null,\"source_file\":\"a.csv\",\"source_row\":3}",
        DeduplicateTrips.json(a));
  }

  private static Trip lineage(Trip t, String file, long row) {
    return t.toBuilder().setSourceFile(file).setSourceRow(row).build();
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
