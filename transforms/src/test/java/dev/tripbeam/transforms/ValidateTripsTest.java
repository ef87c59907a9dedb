package dev.tripbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ValidateTrips on a real TLC row, mutated to break one rule at a time; both outputs asserted. */
@ExtendWith(TestPipelineExtension.class)
class ValidateTripsTest {

  private static final TupleTag<Trip> VALID = new TupleTag<Trip>() {};
  private static final TupleTag<RejectedRecord> REJECTED = new TupleTag<RejectedRecord>() {};

  /** The one output of ValidateTrips, split into its trips and its rejections. */
  private static PCollectionTuple validate(TestPipeline p, RawTrip raw) {
    PCollection<CheckedTrip> checked =
        p.apply("CreateRawTrips", Create.of(raw).withCoder(TripCoders.rawTrip()))
            .apply("ValidateTrips", ValidateTrips.of(TripRules.defaults(), TestTrips.ZONES));
    return PCollectionTuple.of(VALID, checked.apply("SelectTrips", SelectTrips.of()))
        .and(
            REJECTED,
            checked
                .apply("SelectRejectedAndCounts", SelectRejectedAndCounts.of())
                .get(SelectRejectedAndCounts.REJECTED));
  }

  @Test
  void realRowIsValidAndTyped(TestPipeline p) {
    PCollectionTuple out = validate(p, TestTrips.yellowRaw().build());
    // 00:30:10 and 00:36:12 in New York (EST, UTC-5).
    Instant pickup = Instant.parse("2021-01-01T05:30:10Z");
    Instant dropoff = Instant.parse("2021-01-01T05:36:12Z");
    Trip expected =
        Trip.builder()
            // The id of this trip as published in processed/trips: a literal, so a change of the key is seen.
            .setTripId("7472c2e223f6b36cc8685935cb1f2b0c")
            .setSource("yellow")
            .setVendorId(1)
            .setPickup(pickup)
            .setDropoff(dropoff)
            .setPuZoneId(142)
            .setDoZoneId(43)
            .setPassengerCount(1)
            .setDistanceMiles(2.1)
            .setFareCents(800)
            .setTipCents(0)
            .setTollsCents(0)
            .setTotalCents(1180)
            .setPaymentType(2)
            .setUserId(null)
            .setSourceFile("yellow_tripdata_2021-01.head.csv")
            .setSourceRow(1)
            .build();
    PAssert.that(out.get(VALID)).containsInAnyOrder(expected);
    PAssert.that(out.get(REJECTED)).empty();
    PipelineResult result = p.run();
    MetricQueryResults metrics =
        result.metrics().queryMetrics(
            MetricsFilter.builder().addNameFilter(MetricNameFilter.named(ValidateTrips.STEP, "valid")).build());
    assertEquals(1L, metrics.getCounters().iterator().next().getAttempted());
  }

  static Stream<Arguments> brokenRows() {
    return Stream.of(
        broken(RejectReason.UNPARSEABLE, b -> b.setRaw("1,2021-0").setStructureError("expected 18 fields, found 2")),
        broken(RejectReason.UNPARSEABLE, b -> b.setFare("eight")),
        broken(RejectReason.UNPARSEABLE, b -> b.setPickup("2021-13-45 99:00:00")),
        broken(RejectReason.UNPARSEABLE, b -> b.setTotal(null)),
        broken(RejectReason.MISSING_PICKUP_OR_DROPOFF_TIME, b -> b.setDropoff(null)),
        broken(RejectReason.MISSING_ZONE, b -> b.setPuZoneId(null)),
        broken(RejectReason.UNKNOWN_ZONE, b -> b.setDoZoneId("266")),
        broken(RejectReason.DROPOFF_NOT_AFTER_PICKUP, b -> b.setDropoff("2021-01-01 00:30:10")),
        broken(RejectReason.DURATION_OVER_24H, b -> b.setDropoff("2021-01-02 00:30:11")),
        broken(RejectReason.NEGATIVE_DISTANCE, b -> b.setDistanceMiles("-2.10")),
        broken(RejectReason.IMPLAUSIBLE_DISTANCE, b -> b.setDistanceMiles("500.01").setDropoff("2021-01-01 23:00:00")),
        broken(RejectReason.NEGATIVE_AMOUNT, b -> b.setFare("-8").setTotal("-11.8")),
        broken(RejectReason.NEGATIVE_AMOUNT, b -> b.setTotal("-0.5")),
        broken(RejectReason.IMPLAUSIBLE_SPEED, b -> b.setDistanceMiles("10.1")),
        // The first failing rule wins: a missing zone is reported before the negative fare.
        broken(RejectReason.MISSING_ZONE, b -> b.setDoZoneId(null).setFare("-8")),
        // App rows: amounts are integer cents, and a trip needs its user.
        app(RejectReason.MISSING_USER_ID, b -> b.setUserId(null)),
        app(RejectReason.MISSING_USER_ID, b -> b.setUserId(null).setPickup(null)),
        app(RejectReason.UNPARSEABLE, b -> b.setFare("461.5")),
        app(RejectReason.NEGATIVE_AMOUNT, b -> b.setTotal("-1")));
  }

  private static Arguments app(RejectReason reason, UnaryOperator<RawTrip.Builder> mutation) {
    return Arguments.of(reason, mutation.apply(TestTrips.appRaw()).build());
  }

  @Test
  void appRowKeepsItsIdsAndCents(TestPipeline p) {
    PCollectionTuple out = validate(p, TestTrips.appRaw().build());
    PAssert.that(out.get(REJECTED)).empty();
    PAssert.thatSingleton(out.get(VALID))
        .satisfies(
            t -> {
              assertEquals("7381876ebebfc52a", t.getTripId());
              assertEquals("u000000000", t.getUserId());
              assertEquals(461L, t.getFareCents());
              assertEquals(814L, t.getTotalCents());
              assertEquals(Instant.parse("2024-03-04T15:11:23Z"), t.getPickup());
              assertEquals("2024-03-04", t.getPickupDate());
              return null;
            });
    p.run();
  }

  private static Arguments broken(RejectReason reason, UnaryOperator<RawTrip.Builder> mutation) {
    return Arguments.of(reason, mutation.apply(TestTrips.yellowRaw()).build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRows")
  void brokenRowIsRejectedWithItsReason(RejectReason reason, RawTrip raw, TestPipeline p) {
    PCollectionTuple out = validate(p, raw);
    String expectedReason = reason.code();
    String expectedRaw = raw.getRaw();
    String expectedFile = raw.getSourceFile();
    PAssert.that(out.get(VALID)).empty();
    PAssert.that(out.get(REJECTED))
        .satisfies(
            rejected -> {
              RejectedRecord r = rejected.iterator().next();
              assertEquals(expectedReason, r.getReason());
              assertEquals(ValidateTrips.STEP, r.getStep());
              assertEquals(expectedRaw, r.getRaw());
              assertEquals(expectedFile, r.getSourceFile());
              assertEquals(1L, r.getRowNumber());
              return null;
            });
    p.run();
  }

  @Test
  void zones264And265AreKnown(TestPipeline p) {
    PCollectionTuple out = validate(p, TestTrips.yellowRaw().setPuZoneId("264").setDoZoneId("265").build());
    PAssert.that(out.get(REJECTED)).empty();
    PAssert.thatSingleton(out.get(VALID))
        .satisfies(
            t -> {
              assertEquals(264, t.getPuZoneId());
              assertEquals(265, t.getDoZoneId());
              assertNull(t.getUserId());
              return null;
            });
    p.run();
  }
}
