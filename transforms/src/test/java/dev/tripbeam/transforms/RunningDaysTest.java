package dev.tripbeam.transforms;

import dev.tripbeam.model.Trip;
import dev.tripbeam.model.UserDaily;
import dev.tripbeam.model.ZoneDaily;
import java.time.LocalDateTime;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The streaming job's running days with {@link TestStream}: {@link AggregateUserDailyStream} gives a user-day's
 * running row one pane after its trips came (the second pane counts both trips) and every user-day's final row when
 * the day closes, stamped into its day; the zone-days' accumulating windows ({@link TripDays#running}) fire early with
 * running sums and on time with the final ones, and {@link SelectClosedDays} passes the on-time pane alone.
 */
@ExtendWith(TestPipelineExtension.class)
class RunningDaysTest {
  private static final Duration LATENESS = Duration.standardHours(1);
  private static final Duration PANE = Duration.standardSeconds(5);
  private static final Duration PAST_PANE = PANE.plus(Duration.millis(1));
  private static final LocalDateTime MORNING = LocalDateTime.of(2024, 3, 4, 8, 0);

  private static TimestampedValue<Trip> at(Trip t) {
    return TimestampedValue.of(t, new Instant(Math.floorDiv(t.getPickupMicros(), 1000L)));
  }

  private static Trip ridden(LocalDateTime pickup, String user, int zone, long fare) {
    return TestTrips.trip(pickup, 12, zone, 43, 2.0, fare, 0).toBuilder().setUserId(user).build();
  }

  private static TestStream<Trip> threeTrips() {
    return TestStream.create(TripCoders.trip())
        .addElements(at(ridden(MORNING, "u1", 142, 800)))
        .advanceProcessingTime(PAST_PANE)
        .addElements(at(ridden(MORNING.plusHours(3), "u1", 142, 1200)))
        .advanceProcessingTime(PAST_PANE)
        .addElements(at(ridden(MORNING.plusHours(4), "u2", 132, 500)))
        .advanceProcessingTime(PAST_PANE)
        .advanceWatermarkToInfinity();
  }

  private static IntervalWindow morningDay() {
    return TripDays.withLateness(LATENESS).windowOf(new Instant(TestTrips.ny(MORNING).toEpochMilli()));
  }

  @Test
  void userDaysRunEveryPaneAndCloseOnceIntoTheirDay(TestPipeline p) {
    PCollectionTuple days = p.apply(threeTrips()).apply(AggregateUserDailyStream.of(LATENESS, PANE));
    PAssert.that(rows("Running", days.get(AggregateUserDailyStream.RUNNING)))
        .containsInAnyOrder("u1 1 trips 880", "u1 2 trips 2160", "u2 1 trips 580");
    PCollection<UserDaily> closed =
        days.get(AggregateUserDailyStream.CLOSED).apply(Window.into(TripDays.withLateness(LATENESS)));
    PAssert.that(rows("Closed", closed)).inWindow(morningDay()).containsInAnyOrder("u1 2 trips 2160", "u2 1 trips 580");
    p.run().waitUntilFinish();
  }

  @Test
  void zoneDaysFireEarlyAndOnTimeAndOnlyTheOnTimePaneIsClosed(TestPipeline p) {
    PCollection<ZoneDaily> zones =
        p.apply(threeTrips())
            .apply(TripDays.<Trip>running(LATENESS, PANE))
            .apply(EnrichTrips.of(TestTrips.ZONES))
            .apply(AggregateZoneDaily.of());
    PAssert.that(zoneRows("Early", zones)).inEarlyPane(morningDay()).containsInAnyOrder("142:1", "142:2", "132:1");
    PAssert.that(zoneRows("OnTime", zones)).inOnTimePane(morningDay()).containsInAnyOrder("142:2", "132:1");
    PAssert.that(zoneRows("Closed", zones.apply(SelectClosedDays.of()))).containsInAnyOrder("142:2", "132:1");
    p.run().waitUntilFinish();
  }

  private static PCollection<String> rows(String name, PCollection<UserDaily> rows) {
    return rows.apply(
        name,
        MapElements.into(TypeDescriptors.strings())
            .via((UserDaily u) -> u.getUserId() + " " + u.getTrips() + " trips " + u.getTotalCents()));
  }

  private static PCollection<String> zoneRows(String name, PCollection<ZoneDaily> rows) {
    return rows.apply(
        name, MapElements.into(TypeDescriptors.strings()).via((ZoneDaily z) -> z.getPuZoneId() + ":" + z.getTrips()));
  }
}
