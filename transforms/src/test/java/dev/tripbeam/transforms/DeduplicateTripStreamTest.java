package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.ZoneDaily;
import java.time.LocalDateTime;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Event-time behaviour of the streaming steps with {@link TestStream}: deduplication across the stream without a
 * hold until a day's retention ends, and one on-time pane per New York day, after its end plus the allowed lateness, holding every trip
 * the watermark allowed (a late-but-allowed trip included), and nothing in a late pane.
 */
@ExtendWith(TestPipelineExtension.class)
class DeduplicateTripStreamTest {
  private static final Duration LATENESS = Duration.standardHours(1);
  private static final LocalDateTime MARCH_4 = LocalDateTime.of(2024, 3, 4, 20, 0);

  private static TimestampedValue<CheckedTrip> at(Trip t) {
    return TimestampedValue.of(CheckedTrip.trip(t), new Instant(Math.floorDiv(t.getPickupMicros(), 1000L)));
  }

  private static Instant ny(LocalDateTime local) {
    return new Instant(TestTrips.ny(local).toEpochMilli());
  }

  /**
   * Copies of one trip in either order, each in its own bundle: the copy that comes first goes on and the later one is
   * judged against it. When the canonical copy (the lower tip) comes first, the stream keeps what the batch job keeps;
   * when it comes last, the stream keeps the other one and rejects the canonical copy, with both contents.
   */
  @ParameterizedTest(name = "the canonical copy arrives {0}")
  @ValueSource(strings = {"first", "last"})
  void keepsTheFirstCopyCountsEqualCopiesRejectsConflictsAndForgetsAfterTheRetention(
      String canonicalArrives, TestPipeline p) {
    Trip a = TestTrips.trip(MARCH_4, 12, 142, 43, 2.1, 800, 100);
    Trip b = TestTrips.trip(MARCH_4.plusMinutes(30), 20, 132, 236, 17.3, 5200, 0);
    Trip aConflict = a.toBuilder().setTipCents(300).build();
    Trip lateAllowed = TestTrips.trip(LocalDateTime.of(2024, 3, 4, 23, 50), 5, 142, 43, 1.0, 600, 0);
    boolean canonicalFirst = canonicalArrives.equals("first");
    Trip first = canonicalFirst ? a : aConflict;
    Trip second = canonicalFirst ? aConflict : a;
    TestStream<CheckedTrip> events =
        TestStream.create(TripCoders.checkedTrip())
            .addElements(at(first))
            .addElements(at(b))
            .addElements(at(second))
            .advanceWatermarkTo(ny(LocalDateTime.of(2024, 3, 5, 0, 30)))
            // After the day's end, within the lateness: deduplicated and counted in the day's only pane.
            .addElements(at(lateAllowed), at(first), at(b))
            .advanceWatermarkTo(ny(LocalDateTime.of(2024, 3, 5, 1, 1)))
            // The retention of March 4 is over: a copy arriving now (the source would have rejected it as late) is
            // not recognised, which is what the bounded state costs.
            .addElements(at(first))
            .advanceWatermarkToInfinity();
    PCollection<CheckedTrip> out = p.apply(events).apply(DeduplicateTripStream.retainingFor(LATENESS));

    PCollection<String> kinds = out.apply("Describe", MapElements.into(TypeDescriptors.strings()).via(
        DeduplicateTripStreamTest::describe));
    String keptTip = "tip " + first.getTipCents();
    PAssert.that(kinds)
        .containsInAnyOrder(
            "trip " + a.getTripId().substring(0, 6) + " " + keptTip,
            "trip " + b.getTripId().substring(0, 6) + " tip 0",
            "trip " + lateAllowed.getTripId().substring(0, 6) + " tip 0",
            "trip " + a.getTripId().substring(0, 6) + " " + keptTip,
            CheckedTrip.COPIES_REMOVED + "=1",
            CheckedTrip.COPIES_REMOVED + "=1",
            RejectReason.CONFLICTING_DUPLICATE.code() + " tip " + second.getTipCents() + " kept tip "
                + first.getTipCents(),
            CheckedTrip.CONFLICTING_COPIES + "=1");

    PCollection<ZoneDaily> zoneDaily =
        out.apply("SelectTrips", SelectTrips.of())
            .apply(
                "WindowPickupDays",
                Window.<Trip>into(TripDays.withLateness(LATENESS))
                    .triggering(AfterWatermark.pastEndOfWindow())
                    .withAllowedLateness(Duration.ZERO)
                    .discardingFiredPanes())
            .apply(EnrichTrips.of(TestTrips.ZONES))
            .apply(AggregateZoneDaily.of());
    IntervalWindow march4 = TripDays.withLateness(LATENESS).windowOf(ny(MARCH_4));
    PAssert.that(
            zoneDaily.apply(
                "Trips", MapElements.into(TypeDescriptors.strings()).via((ZoneDaily z) -> z.getPuZoneId() + ":" + z.getTrips())))
        .inOnTimePane(march4)
        .containsInAnyOrder("142:2", "132:1");
    PAssert.that(
            zoneDaily.apply(
                "LateTrips", MapElements.into(TypeDescriptors.strings()).via((ZoneDaily z) -> z.getPuZoneId() + ":" + z.getTrips())))
        .inLatePane(march4)
        .empty();
    p.run().waitUntilFinish();
  }

  /**
   * No hold: the watermark never moves before the end of the stream, yet every first copy comes out in an early pane
   * of the global window (a grouping fired per element after the deduplication) (a deduplication that waited for the watermark would release them only at the end).
   */
  @org.junit.jupiter.api.Test
  void firstCopiesGoOnBeforeTheWatermarkMoves(TestPipeline p) {
    Trip a = TestTrips.trip(MARCH_4, 12, 142, 43, 2.1, 800, 100);
    Trip b = TestTrips.trip(MARCH_4.plusMinutes(30), 20, 132, 236, 17.3, 5200, 0);
    TestStream<CheckedTrip> events =
        TestStream.create(TripCoders.checkedTrip())
            .addElements(at(a))
            .addElements(at(b), at(a))
            .advanceProcessingTime(Duration.standardSeconds(10))
            .advanceWatermarkToInfinity();
    PCollection<String> kinds =
        p.apply(events)
            .apply(DeduplicateTripStream.retainingFor(LATENESS))
            .apply(
                Window.<CheckedTrip>into(new GlobalWindows())
                    .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                    .withAllowedLateness(Duration.ZERO)
                    .discardingFiredPanes())
            .apply("Describe", MapElements.into(TypeDescriptors.strings()).via(DeduplicateTripStreamTest::describe))
            .apply("GroupIntoPanes", Count.perElement())
            .apply("Kinds", Keys.create());
    PAssert.that(kinds)
        .inEarlyGlobalWindowPanes()
        .containsInAnyOrder(
            "trip " + a.getTripId().substring(0, 6) + " tip 100",
            "trip " + b.getTripId().substring(0, 6) + " tip 0",
            CheckedTrip.COPIES_REMOVED + "=1");
    p.run().waitUntilFinish();
  }

  private static String describe(CheckedTrip r) {
    return switch (r.getKind()) {
      case TRIP -> "trip " + r.trip().getTripId().substring(0, 6) + " tip " + r.trip().getTipCents();
      case COUNT -> r.getLabel() + "=" + r.getCount();
      case REJECTED -> r.getRejected().getReason() + " tip " + tip(r.getRejected().getRaw()) + " kept tip "
          + tip(r.getRejected().getDetail().substring(r.getRejected().getDetail().indexOf("the kept copy:")));
    };
  }

  private static String tip(String json) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"tip_cents\":(\\d+)").matcher(json);
    return m.find() ? m.group(1) : "?";
  }
}
