package dev.tripbeam.model;

import com.google.auto.value.AutoValue;
import java.time.LocalDateTime;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaIgnore;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A valid, typed trip. TLC pickup and dropoff times are NYC local wall-clock times and are kept as local
 * date-times (stored as wall-clock micros, see {@link LocalTimes}). Money is in integer cents ({@code round(dollars * 100)}, half away from zero).
 *
 * <p>The trip id is derived from the deduplication key (see {@code TripKeys}), so copies of one trip share it.
 */
@AutoValue
@DefaultSchema(AutoValueSchema.class)
public abstract class Trip {
  public abstract String getTripId();

  /** {@code yellow}, {@code green} or {@code app}. */
  public abstract String getSource();

  public abstract @Nullable Integer getVendorId();

  /** Pickup local wall-clock time, as {@link LocalTimes} micros. */
  public abstract long getPickupMicros();

  /** Dropoff local wall-clock time, as {@link LocalTimes} micros. */
  public abstract long getDropoffMicros();

  @SchemaIgnore
  public LocalDateTime getPickup() {
    return LocalTimes.fromMicros(getPickupMicros());
  }

  @SchemaIgnore
  public LocalDateTime getDropoff() {
    return LocalTimes.fromMicros(getDropoffMicros());
  }

  /** The pickup's calendar date, {@code YYYY-MM-DD} (local wall clock; UTC for the app format). */
  @SchemaIgnore
  public String getPickupDate() {
    return LocalTimes.dateOf(getPickupMicros());
  }

  /** Dropoff minus pickup, in microseconds. */
  @SchemaIgnore
  public long getDurationMicros() {
    return getDropoffMicros() - getPickupMicros();
  }

  public abstract int getPuZoneId();

  public abstract int getDoZoneId();

  public abstract @Nullable Integer getPassengerCount();

  public abstract double getDistanceMiles();

  public abstract long getFareCents();

  public abstract long getTipCents();

  public abstract long getTollsCents();

  public abstract long getTotalCents();

  public abstract @Nullable Integer getPaymentType();

  public abstract @Nullable String getUserId();

  public static Builder builder() {
    return new AutoValue_Trip.Builder();
  }

  public abstract Builder toBuilder();

  /** Builder of {@link Trip}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setTripId(String value);

    public abstract Builder setSource(String value);

    public abstract Builder setVendorId(@Nullable Integer value);

    public abstract Builder setPickupMicros(long value);

    public abstract Builder setDropoffMicros(long value);

    public Builder setPickup(LocalDateTime value) {
      return setPickupMicros(LocalTimes.toMicros(value));
    }

    public Builder setDropoff(LocalDateTime value) {
      return setDropoffMicros(LocalTimes.toMicros(value));
    }

    public abstract Builder setPuZoneId(int value);

    public abstract Builder setDoZoneId(int value);

    public abstract Builder setPassengerCount(@Nullable Integer value);

    public abstract Builder setDistanceMiles(double value);

    public abstract Builder setFareCents(long value);

    public abstract Builder setTipCents(long value);

    public abstract Builder setTollsCents(long value);

    public abstract Builder setTotalCents(long value);

    public abstract Builder setPaymentType(@Nullable Integer value);

    public abstract Builder setUserId(@Nullable String value);

    public abstract Trip build();
  }
}
