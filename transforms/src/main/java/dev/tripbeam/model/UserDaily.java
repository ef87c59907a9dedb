package dev.tripbeam.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * One row of {@code aggregated/user_daily}: one user's valid unique trips on one pickup date (New York calendar date).
 * A journey is a chain of trips where each pickup is at most 30 minutes after the previous trip's dropoff (trips in
 * pickup order).
 */
@AutoValue
@DefaultSchema(AutoValueSchema.class)
public abstract class UserDaily {
  public abstract String getUserId();

  public abstract String getPickupDate();

  public abstract long getTrips();

  public abstract double getDistanceMiles();

  public abstract long getTotalCents();

  /** Earliest pickup instant, microseconds since the epoch. */
  public abstract long getFirstPickupMicros();

  /** Latest dropoff instant, microseconds since the epoch. */
  public abstract long getLastDropoffMicros();

  public abstract long getJourneys();

  /** Distinct zones among the day's pickup and dropoff zones. */
  public abstract long getDistinctZones();

  public static Builder builder() {
    return new AutoValue_UserDaily.Builder();
  }

  /** Builder of {@link UserDaily}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setUserId(String value);

    public abstract Builder setPickupDate(String value);

    public abstract Builder setTrips(long value);

    public abstract Builder setDistanceMiles(double value);

    public abstract Builder setTotalCents(long value);

    public abstract Builder setFirstPickupMicros(long value);

    public abstract Builder setLastDropoffMicros(long value);

    public abstract Builder setJourneys(long value);

    public abstract Builder setDistinctZones(long value);

    public abstract UserDaily build();
  }
}
