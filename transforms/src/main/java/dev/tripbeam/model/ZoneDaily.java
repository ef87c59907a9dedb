package dev.tripbeam.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** One row of {@code aggregated/zone_daily}: the valid unique trips of one pickup zone on one New York calendar date. */
@AutoValue
@DefaultSchema(AutoValueSchema.class)
public abstract class ZoneDaily {
  /** {@code YYYY-MM-DD}, the New York date of the pickup. */
  public abstract String getPickupDate();

  public abstract int getPuZoneId();

  public abstract String getBorough();

  public abstract String getZone();

  public abstract long getTrips();

  /** Sum of passenger counts, a missing count counted as 0. */
  public abstract long getPassengers();

  public abstract double getDistanceMiles();

  public abstract long getFareCents();

  public abstract long getTipCents();

  public abstract long getTotalCents();

  public abstract double getAvgDurationS();

  public static Builder builder() {
    return new AutoValue_ZoneDaily.Builder();
  }

  /** Builder of {@link ZoneDaily}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setPickupDate(String value);

    public abstract Builder setPuZoneId(int value);

    public abstract Builder setBorough(String value);

    public abstract Builder setZone(String value);

    public abstract Builder setTrips(long value);

    public abstract Builder setPassengers(long value);

    public abstract Builder setDistanceMiles(double value);

    public abstract Builder setFareCents(long value);

    public abstract Builder setTipCents(long value);

    public abstract Builder setTotalCents(long value);

    public abstract Builder setAvgDurationS(double value);

    public abstract ZoneDaily build();
  }
}
