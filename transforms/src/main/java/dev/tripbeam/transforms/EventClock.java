package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The event time of one stream partition: which timestamp each record gets, whether a trip is late, and the
 * watermark. Plain Java, used by the streaming sources (a Kafka partition, the watched raw prefix).
 *
 * <p>A trip's timestamp is its pickup instant. The watermark is the latest pickup seen minus the maximum
 * out-of-orderness; when the partition has nothing left to read, it follows the wall clock instead (the clock minus
 * the out-of-orderness, never backwards), so that a quiet partition does not hold the days open. A trip is late when
 * the watermark has already reached its New York pickup day's end plus the allowed lateness ({@link TripDays}): it
 * then gets the watermark as its timestamp, so that downstream steps see it as on time and the streaming job rejects
 * it as {@code late_trip} (a timestamp other than its pickup marks it) instead of a window dropping it unseen. A
 * record that is no trip (unparseable, invalid) also gets the watermark. The decision is made where the watermark
 * is made, and every later step's watermark is at most this one, so no trip found on time here is late anywhere
 * downstream.
 */
public final class EventClock implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Duration outOfOrderness;
  private final Duration lateness;
  private Instant latest = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;

  /**
   * A clock whose watermark trails the latest pickup by {@code outOfOrderness}, restarting from {@code
   * previousWatermark} (a checkpoint's) when there is one.
   */
  public EventClock(Duration outOfOrderness, Duration lateness, @Nullable Instant previousWatermark) {
    this.outOfOrderness = outOfOrderness;
    this.lateness = lateness;
    if (previousWatermark != null && previousWatermark.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      watermark = previousWatermark;
      latest = previousWatermark.plus(outOfOrderness);
    }
  }

  /** The timestamp of a record whose pickup instant (milliseconds) is {@code pickupMillis}, null for no trip. */
  public Instant timestamp(@Nullable Long pickupMillis) {
    if (pickupMillis == null || isLate(pickupMillis)) {
      return watermark;
    }
    Instant pickup = new Instant(pickupMillis);
    if (pickup.isAfter(latest)) {
      latest = pickup;
      Instant trailing = latest.minus(outOfOrderness);
      if (trailing.isAfter(watermark)) {
        watermark = trailing;
      }
    }
    return pickup;
  }

  /** The rejection of a valid trip that came late, with the row's raw text, by {@code step}. */
  public static CheckedTrip lateTrip(Trip trip, String step, String raw) {
    return CheckedTrip.rejected(
        RejectedRecord.of(
            RejectReason.LATE_TRIP,
            step,
            trip.getSourceFile(),
            trip.getSourceRow(),
            raw,
            "picked up on " + trip.getPickupDate() + ", after the watermark had passed that day's end plus the allowed"
                + " lateness"));
  }

  /** Whether a trip picked up at {@code pickupMillis} is past its day's end plus the lateness, by the watermark. */
  public boolean isLate(long pickupMillis) {
    return watermark.getMillis() >= TripDays.dayEndMillis(pickupMillis) + lateness.getMillis();
  }

  /** The watermark; {@code idleAt}, when not null, is the wall-clock time at which the partition had nothing to read. */
  public Instant watermark(@Nullable Instant idleAt) {
    if (idleAt != null) {
      Instant trailing = idleAt.minus(outOfOrderness);
      if (trailing.isAfter(watermark)) {
        watermark = trailing;
      }
    }
    return watermark;
  }
}
