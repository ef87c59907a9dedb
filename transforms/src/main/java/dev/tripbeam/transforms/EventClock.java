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
 * The event time of one stream split (a Kafka partition, the watched raw prefix): which timestamp each record gets,
 * whether a trip is late, and the watermark. Plain Java, used by the streaming sources.
 *
 * <p>A trip's timestamp is its pickup instant. <b>Only data moves the watermark</b>: it is the latest pickup the
 * split has settled minus the maximum out-of-orderness, and it stays where it is while the split has nothing to read
 * (idle time is no evidence that a day is over: a back-filled file of past days must still be processed). A source
 * settles what it has emitted when its unit of data is complete: a Kafka partition after every record it hands on, the
 * prefix after every whole file, so that a file's own rows never make each other late. A trip is late when the
 * watermark has already reached its New York pickup day's end plus the allowed lateness ({@link TripDays}), that is
 * when data has closed its day: it then gets the watermark as its timestamp, so that downstream steps see it as on
 * time and the streaming job rejects it as {@code late_trip} (a timestamp other than its pickup marks it) instead of a
 * window dropping it unseen. A record that is no trip (unparseable, invalid) also gets the watermark. The decision is
 * made where the watermark is made, and every later step's watermark is at most this one, so no trip found on time
 * here is late anywhere downstream. A split that has read nothing holds the watermark at its start (it has shown no
 * event time), so the days close once every split has shown data past them.
 */
public final class EventClock implements Serializable {
  private static final long serialVersionUID = 2L;
  private final Duration outOfOrderness;
  private final Duration lateness;
  private Instant latest = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;

  /**
   * A clock whose watermark trails the latest settled pickup by {@code outOfOrderness}, restarting from {@code
   * previousWatermark} (a checkpoint's) when there is one.
   */
  public EventClock(Duration outOfOrderness, Duration lateness, @Nullable Instant previousWatermark) {
    this.outOfOrderness = outOfOrderness;
    this.lateness = lateness;
    if (previousWatermark != null && previousWatermark.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      watermark = previousWatermark;
    }
  }

  /**
   * The timestamp of a record whose pickup instant (milliseconds) is {@code pickupMillis}, null for no trip; an on-time
   * pickup is remembered for the next {@link #settle()}.
   */
  public Instant timestamp(@Nullable Long pickupMillis) {
    if (pickupMillis == null || isLate(pickupMillis)) {
      return watermark;
    }
    Instant pickup = new Instant(pickupMillis);
    if (pickup.isAfter(latest)) {
      latest = pickup;
    }
    return pickup;
  }

  /** Moves the watermark up to the latest pickup timestamped so far minus the out-of-orderness (never backwards). */
  public Instant settle() {
    if (latest.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      Instant trailing = latest.minus(outOfOrderness);
      if (trailing.isAfter(watermark)) {
        watermark = trailing;
      }
    }
    return watermark;
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
            "picked up on " + trip.getPickupDate() + ", after later trips had closed that day (its end plus the allowed"
                + " lateness)"));
  }

  /** Whether a trip picked up at {@code pickupMillis} is past its day's end plus the lateness, by the watermark. */
  public boolean isLate(long pickupMillis) {
    return watermark.getMillis() >= TripDays.dayEndMillis(pickupMillis) + lateness.getMillis();
  }

  /** The watermark as last settled. */
  public Instant watermark() {
    return watermark;
  }
}
