package dev.tripbeam.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * A trip whose fare per mile is an outlier on its route (pickup zone to dropoff zone): robust score
 * {@code |x - median| / (1.4826 * MAD)} above the threshold, with the route's median and MAD.
 */
@AutoValue
@DefaultSchema(AutoValueSchema.class)
public abstract class FareAnomaly {
  public abstract String getTripId();

  public abstract String getPickupDate();

  public abstract int getPuZoneId();

  public abstract int getDoZoneId();

  public abstract double getDistanceMiles();

  public abstract long getFareCents();

  /** Fare in dollars per mile. */
  public abstract double getFarePerMile();

  public abstract double getRouteMedian();

  public abstract double getRouteMad();

  public abstract long getRouteTrips();

  public abstract double getScore();

  public static Builder builder() {
    return new AutoValue_FareAnomaly.Builder();
  }

  /** Builder of {@link FareAnomaly}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setTripId(String value);

    public abstract Builder setPickupDate(String value);

    public abstract Builder setPuZoneId(int value);

    public abstract Builder setDoZoneId(int value);

    public abstract Builder setDistanceMiles(double value);

    public abstract Builder setFareCents(long value);

    public abstract Builder setFarePerMile(double value);

    public abstract Builder setRouteMedian(double value);

    public abstract Builder setRouteMad(double value);

    public abstract Builder setRouteTrips(long value);

    public abstract Builder setScore(double value);

    public abstract FareAnomaly build();
  }
}
