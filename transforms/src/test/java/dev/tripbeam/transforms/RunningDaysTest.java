package dev.tripbeam.transforms;

import dev.tripbeam.model.Trip;
import dev.tripbeam.model.UserDaily;
import java.time.LocalDateTime;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The streaming job's running days with {@link TestStream} and pane-aware {@link PAssert}: a user-day's early panes
 * hold its running aggregate (accumulating: the second pane counts both trips), the day's on-time pane the final one,
 * and {@link SelectClosedDays} passes the on-time pane alone, so a lake writer sees each day once, whole.
 */
@ExtendWith(TestPipelineExtension.class)
class RunningDaysTest {
  private static final Duration LATENESS = Duration.standardHours(1);
  private static final Duration PANE = Duration.standardSeconds(5);
  private static final LocalDateTime MORNING = LocalDateTime.of(2024, 3, 4, 8, 0);

  private static TimestampedValue<Trip> at(Trip t) {
    return TimestampedValue.of(t, new Instant(Math.floorDiv(t.getPickupMicros(), 1000L)));
  }

  private static Trip ridden(LocalDateTime pickup, String user, long fare) {
    return TestTrips.trip(pickup, 12, 142, 43, 2.0, fare, 0).toBuilder().setUserId(user).build();
  }

  @Test
  void earlyPanesRunTheDayTheOnTimePaneClosesItAndOnlyThatReachesTheLake(TestPipeline p) {
    Trip first = ridden(MORNING, "u1", 800);
    Trip second = ridden(MORNING.plusHours(3), "u1", 1200);
    Trip other = ridden(MORNING.plusHours(4), "u2", 500);
    TestStream<Trip> events =
        TestStream.create(TripCoders.trip())
            .addElements(at(first))
            .advanceProcessingTime(PANE.plus(Duration.millis(1)))
            .addElements(at(second))
            .advanceProcessingTime(PANE.plus(Duration.millis(1)))
            .addElements(at(other))
            .advanceWatermarkToInfinity();
    PCollection<UserDaily> running =
        p.apply(events)
            .apply(TripDays.<Trip>running(LATENESS, PANE))
            .apply(AggregateUserDaily.perUserDay());
    IntervalWindow day = TripDays.withLateness(LATENESS).windowOf(new Instant(TestTrips.ny(MORNING).toEpochMilli()));

    PAssert.that(running.apply("Running", MapElements.into(TypeDescriptors.strings()).via(RunningDaysTest::row)))
        .inEarlyPane(day)
        .containsInAnyOrder("u1 1 trips 880", "u1 2 trips 2160");
    PAssert.that(running.apply("OnTime", MapElements.into(TypeDescriptors.strings()).via(RunningDaysTest::row)))
        .inOnTimePane(day)
        .containsInAnyOrder("u1 2 trips 2160", "u2 1 trips 580");
    PAssert.that(
            running
                .apply(SelectClosedDays.of())
                .apply("Closed", MapElements.into(TypeDescriptors.strings()).via(RunningDaysTest::row)))
        .containsInAnyOrder("u1 2 trips 2160", "u2 1 trips 580");
    p.run().waitUntilFinish();
  }

  private static String row(UserDaily u) {
    return u.getUserId() + " " + u.getTrips() + " trips " + u.getTotalCents();
  }
}
