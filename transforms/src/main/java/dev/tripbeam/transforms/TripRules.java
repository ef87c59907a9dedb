package dev.tripbeam.transforms;

import com.google.auto.value.AutoValue;
import dev.tripbeam.model.NewYorkTime;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.Trip;
import java.io.Serializable;
import java.time.ZoneOffset;
import java.util.function.IntPredicate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The validation rules of a trip, as plain Java so that the pipeline, the tests' reference model and any batch
 * tool share one definition. {@link #check} applies them in {@link RejectReason} order and returns the first
 * failure, or the typed {@link Trip}.
 *
 * <p>Thresholds: maximum duration (default 24 h), maximum distance (500 mi), maximum speed (100 mph).
 *
 * <p>Time: TLC times are New York wall-clock readings, resolved to instants in America/New_York, so durations and
 * speeds are real elapsed time. A reading that never happened (spring forward) is {@code invalid_local_time}; a
 * reading that happened twice (fall back) is resolved together with the other end of the trip: of the possible
 * pickup/dropoff instants, the pair with the shortest positive duration (on a tie the earlier pickup), else the
 * earliest readings (and the trip is {@code dropoff_not_after_pickup}).
 */
@AutoValue
public abstract class TripRules implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double MICROS_PER_HOUR = 3_600_000_000.0;

  public abstract long maxDurationSeconds();

  public abstract double maxDistanceMiles();

  public abstract double maxSpeedMph();

  public static TripRules defaults() {
    return of(24 * 3600, 500.0, 100.0);
  }

  public static TripRules of(long maxDurationSeconds, double maxDistanceMiles, double maxSpeedMph) {
    return new AutoValue_TripRules(maxDurationSeconds, maxDistanceMiles, maxSpeedMph);
  }

  /** Applies every rule in order to one raw record. */
  public Outcome check(RawTrip raw, IntPredicate knownZone) {
    if (raw.getStructureError() != null) {
      return Outcome.rejected(RejectReason.UNPARSEABLE, raw.getStructureError());
    }
    TripValues f;
    try {
      f = TripValues.parse(raw);
    } catch (TripFields.BadFieldException e) {
      return Outcome.rejected(RejectReason.UNPARSEABLE, e.getMessage());
    }
    return checkValues(raw, f, knownZone);
  }

  /**
   * Applies the rules after typing to values already typed (by a reader of typed files), {@code raw} giving the row's
   * identity (source, file, row, trip and user id). A valid outcome is the one {@link #check} gives for the row's text;
   * a rejection's detail may lack the field text that {@link #check} quotes, so a rejected row is checked again from its
   * text.
   */
  public Outcome checkValues(RawTrip raw, TripValues f, IntPredicate knownZone) {
    boolean amountsInCents = TripValues.amountsInCents(raw);
    if (amountsInCents && raw.getUserId() == null) {
      return Outcome.rejected(RejectReason.MISSING_USER_ID, "an app trip needs a user_id");
    }
    if (f.pickup() == null || f.dropoff() == null) {
      return Outcome.rejected(
          RejectReason.MISSING_PICKUP_OR_DROPOFF_TIME, f.pickup() == null ? "no pickup time" : "no dropoff time");
    }
    long[] pickups = instants(f.pickup(), amountsInCents);
    long[] dropoffs = instants(f.dropoff(), amountsInCents);
    if (pickups.length == 0 || dropoffs.length == 0) {
      return Outcome.rejected(
          RejectReason.INVALID_LOCAL_TIME,
          (pickups.length == 0 ? "pickup " + raw.getPickup() : "dropoff " + raw.getDropoff())
              + " never happened in New York (clocks sprang forward)");
    }
    int[] pair = closestPair(pickups, dropoffs);
    long pickupAt = pickups[pair[0]];
    long dropoffAt = dropoffs[pair[1]];
    Outcome rejected = checkZonesAndMeasures(raw, f, knownZone, dropoffAt - pickupAt);
    if (rejected != null) {
      return rejected;
    }
    double normalizedDistance = f.distance() == 0.0 ? 0.0 : f.distance();
    String tripId =
        raw.getTripId() != null
            ? raw.getTripId()
            : TripKeys.tripId(
                raw.getSource(), f.vendor(), keyText(f.pickup(), pickups, pickupAt),
                keyText(f.dropoff(), dropoffs, dropoffAt), f.puZone(), f.doZone(), normalizedDistance, f.total());
    return Outcome.valid(trip(raw, f, pickupAt, dropoffAt, normalizedDistance).setTripId(tripId).build());
  }

  /** The rules after the times: zones, duration, distance, amounts and speed, in that order; null when all hold. */
  private @Nullable Outcome checkZonesAndMeasures(
      RawTrip raw, TripValues f, IntPredicate knownZone, long durationMicros) {
    if (f.puZone() == null || f.doZone() == null) {
      return Outcome.rejected(
          RejectReason.MISSING_ZONE, f.puZone() == null ? "no pickup zone" : "no dropoff zone");
    }
    if (!knownZone.test(f.puZone()) || !knownZone.test(f.doZone())) {
      return Outcome.rejected(
          RejectReason.UNKNOWN_ZONE,
          "zone " + (knownZone.test(f.puZone()) ? f.doZone() : f.puZone()) + " is not in the zone table");
    }
    if (durationMicros <= 0) {
      return Outcome.rejected(
          RejectReason.DROPOFF_NOT_AFTER_PICKUP, raw.getPickup() + " -> " + raw.getDropoff());
    }
    if (durationMicros > maxDurationSeconds() * 1_000_000L) {
      return Outcome.rejected(RejectReason.DURATION_OVER_24H, durationMicros / 1_000_000L + " s");
    }
    double distance = f.distance();
    if (distance < 0) {
      return Outcome.rejected(RejectReason.NEGATIVE_DISTANCE, distance + " mi");
    }
    if (distance > maxDistanceMiles()) {
      return Outcome.rejected(RejectReason.IMPLAUSIBLE_DISTANCE, distance + " mi");
    }
    if (f.fare() < 0 || f.total() < 0) {
      return Outcome.rejected(
          RejectReason.NEGATIVE_AMOUNT, f.fare() < 0 ? "fare " + raw.getFare() : "total " + raw.getTotal());
    }
    if (distance > 0 && distance * MICROS_PER_HOUR > maxSpeedMph() * durationMicros) {
      double mph = distance * MICROS_PER_HOUR / durationMicros;
      return Outcome.rejected(RejectReason.IMPLAUSIBLE_SPEED, String.format("%.1f mph", mph));
    }
    return null;
  }

  /** The valid trip's values, without its id. */
  private static Trip.Builder trip(RawTrip raw, TripValues f, long pickupAt, long dropoffAt, double distance) {
    return Trip.builder()
        .setSource(raw.getSource())
        .setVendorId(f.vendor())
        .setPickupMicros(pickupAt)
        .setDropoffMicros(dropoffAt)
        .setPuZoneId(f.puZone())
        .setDoZoneId(f.doZone())
        .setPassengerCount(f.passengers())
        .setDistanceMiles(distance)
        .setFareCents(f.fare())
        .setTipCents(f.tip())
        .setTollsCents(f.tolls())
        .setTotalCents(f.total())
        .setPaymentType(f.payment())
        .setUserId(raw.getUserId())
        .setSourceFile(raw.getSourceFile())
        .setSourceRow(raw.getRowNumber());
  }

  /**
   * The instants a timestamp can stand for, earliest first. An instant is itself; a wall-clock reading of a TLC trip
   * is New York time (none when skipped by spring forward, two when repeated by fall back); the app format's
   * readings without an offset are UTC.
   */
  private static long[] instants(TripFields.Reading time, boolean utcWallClock) {
    if (!time.wallClock() || utcWallClock) {
      return new long[] {time.micros()};
    }
    return NewYorkTime.instants(time.micros());
  }

  /**
   * Indexes of the pickup and dropoff readings to use: the pair with the shortest positive duration (on a tie the
   * earlier pickup); when no pair is positive, the earliest readings of both.
   */
  static int[] closestPair(long[] pickups, long[] dropoffs) {
    int bestPickup = 0;
    int bestDropoff = 0;
    long shortest = Long.MAX_VALUE;
    for (int p = 0; p < pickups.length; p++) {
      for (int d = 0; d < dropoffs.length; d++) {
        long duration = dropoffs[d] - pickups[p];
        if (duration > 0 && duration < shortest) {
          shortest = duration;
          bestPickup = p;
          bestDropoff = d;
        }
      }
    }
    return new int[] {bestPickup, bestDropoff};
  }

  /**
   * A time as the trip id sees it: the reading's text (the id of an unambiguous trip is the same as before time zones
   * were applied), with the chosen UTC offset appended when the reading was ambiguous.
   */
  private static String keyText(TripFields.Reading time, long[] instants, long chosen) {
    String text = NewYorkTime.toLocalDateTime(time.micros()).toString();
    if (instants.length < 2) {
      return text;
    }
    return text + ZoneOffset.ofTotalSeconds((int) ((time.micros() - chosen) / 1_000_000L));
  }

  /** Either a valid trip or a reject reason with detail. */
  public static final class Outcome {
    private final @Nullable Trip trip;
    private final @Nullable RejectReason reason;
    private final String detail;

    private Outcome(@Nullable Trip trip, @Nullable RejectReason reason, String detail) {
      this.trip = trip;
      this.reason = reason;
      this.detail = detail;
    }

    static Outcome valid(Trip trip) {
      return new Outcome(trip, null, "");
    }

    static Outcome rejected(RejectReason reason, String detail) {
      return new Outcome(null, reason, detail);
    }

    public boolean isValid() {
      return trip != null;
    }

    public Trip getTrip() {
      if (trip == null) {
        throw new IllegalStateException("rejected: " + reason);
      }
      return trip;
    }

    public RejectReason getReason() {
      if (reason == null) {
        throw new IllegalStateException("valid trip has no reason");
      }
      return reason;
    }

    public String getDetail() {
      return detail;
    }
  }
}
