package dev.tripbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class EventClockTest {
  private static final Duration OUT_OF_ORDER = Duration.standardMinutes(5);
  private static final Duration LATENESS = Duration.standardHours(1);

  private static long ny(LocalDateTime local) {
    return TestTrips.ny(local).toEpochMilli();
  }

  @Test
  void onTimeTripsKeepTheirPickupAndTheSettledWatermarkTrailsTheLatest() {
    EventClock clock = new EventClock(OUT_OF_ORDER, LATENESS, null);
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, clock.settle(), "no data: no event time");
    long t1 = ny(LocalDateTime.of(2024, 3, 4, 20, 0));
    assertEquals(new Instant(t1), clock.timestamp(t1));
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, clock.watermark(), "not moved before the unit is settled");
    assertEquals(new Instant(t1).minus(OUT_OF_ORDER), clock.settle());
    long earlier = t1 - 60 * 60_000L;
    assertEquals(new Instant(earlier), clock.timestamp(earlier), "behind the watermark but within the lateness");
    assertEquals(new Instant(t1).minus(OUT_OF_ORDER), clock.settle(), "an earlier pickup does not move it back");
    assertEquals(new Instant(t1).minus(OUT_OF_ORDER), clock.timestamp(null), "no trip: the watermark");
  }

  @Test
  void aTripIsLateOnceTheWatermarkReachesItsDayEndPlusTheLateness() {
    EventClock clock = new EventClock(OUT_OF_ORDER, LATENESS, null);
    long dayEnd = ny(LocalDateTime.of(2024, 3, 5, 0, 0));
    long lastMinute = ny(LocalDateTime.of(2024, 3, 4, 23, 59));
    // The watermark one millisecond short of the day's end plus the lateness: still on time.
    clock.timestamp(dayEnd + LATENESS.getMillis() + OUT_OF_ORDER.getMillis() - 1);
    clock.settle();
    assertFalse(clock.isLate(lastMinute));
    assertEquals(new Instant(lastMinute), clock.timestamp(lastMinute));
    // One more millisecond: late, stamped with the watermark.
    clock.timestamp(dayEnd + LATENESS.getMillis() + OUT_OF_ORDER.getMillis());
    assertFalse(clock.isLate(lastMinute), "a unit's own rows do not make each other late");
    clock.settle();
    assertTrue(clock.isLate(lastMinute));
    assertEquals(new Instant(dayEnd + LATENESS.getMillis()), clock.timestamp(lastMinute));
    assertFalse(clock.isLate(dayEnd), "the next day is open");
  }

  @Test
  void idleTimeDoesNotMoveTheWatermark() {
    EventClock clock = new EventClock(OUT_OF_ORDER, LATENESS, null);
    long pickup = ny(LocalDateTime.of(2024, 3, 4, 20, 0));
    clock.timestamp(pickup);
    Instant settled = clock.settle();
    // However long nothing comes, the watermark stays at the data's, and a back-filled trip of that day is on time.
    assertEquals(settled, clock.settle());
    assertEquals(settled, clock.watermark());
    long backFilled = ny(LocalDateTime.of(2024, 3, 4, 9, 0));
    assertFalse(clock.isLate(backFilled));
    assertEquals(new Instant(backFilled), clock.timestamp(backFilled));
    assertEquals(settled, clock.settle(), "an earlier pickup leaves it");
  }

  @Test
  void aRestoredClockStartsAtTheCheckpointsWatermark() {
    Instant previous = new Instant(ny(LocalDateTime.of(2024, 3, 6, 12, 0)));
    EventClock clock = new EventClock(OUT_OF_ORDER, LATENESS, previous);
    assertEquals(previous, clock.watermark());
    assertEquals(previous, clock.settle(), "nothing read since: unchanged");
    assertTrue(clock.isLate(ny(LocalDateTime.of(2024, 3, 4, 12, 0))));
    assertTrue(clock.isLate(ny(LocalDateTime.of(2024, 3, 5, 23, 0))), "its day closed at 01:00 on the 6th");
    assertFalse(clock.isLate(ny(LocalDateTime.of(2024, 3, 6, 8, 0))), "its day closes at 01:00 on the 7th");
  }

  @Test
  void dayWindowsFollowNewYorkDaylightSavingTime() {
    // Midnight to midnight by java.time's New York rules: 23 hours on 2024-03-10, 25 on 2024-11-03.
    TripDays days = TripDays.withLateness(LATENESS);
    IntervalWindow spring = days.windowOf(new Instant(ny(LocalDateTime.of(2024, 3, 10, 12, 0))));
    assertEquals(new Instant(ny(LocalDateTime.of(2024, 3, 10, 0, 0))), spring.start());
    assertEquals(new Instant(ny(LocalDateTime.of(2024, 3, 11, 0, 0))), spring.end().minus(LATENESS));
    IntervalWindow fall = days.windowOf(new Instant(ny(LocalDateTime.of(2024, 11, 3, 12, 0))));
    assertEquals(new Instant(ny(LocalDateTime.of(2024, 11, 3, 0, 0))), fall.start());
    assertEquals(new Instant(ny(LocalDateTime.of(2024, 11, 4, 0, 0))), fall.end().minus(LATENESS));
  }
}
