package dev.tripbeam.model;

import com.google.auto.value.AutoValue;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaIgnore;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A valid, typed trip. Pickup and dropoff are instants (microseconds since the epoch, UTC) for every source: TLC's
 * New York wall-clock times are resolved in America/New_York when validated (see {@code TripRules}), app times are
 * instants already. Day-based outputs use the New York calendar date of the pickup ({@link #getPickupDate()}). Money
 * is in integer cents ({@code round(dollars * 100)}, half away from zero).
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

  /** Pickup instant, microseconds since the epoch. */
  public abstract long getPickupMicros();

  /** Dropoff instant, microseconds since the epoch. */
  public abstract long getDropoffMicros();

  @SchemaIgnore
  public Instant getPickup() {
    return NewYorkTime.toInstant(getPickupMicros());
  }

  @SchemaIgnore
  public Instant getDropoff() {
    return NewYorkTime.toInstant(getDropoffMicros());
  }

  /** The pickup's New York wall-clock time. */
  @SchemaIgnore
  public LocalDateTime getPickupLocal() {
    return NewYorkTime.toLocalDateTime(NewYorkTime.localMicros(getPickupMicros()));
  }

  /** The pickup's New York calendar date, {@code YYYY-MM-DD}, for every source. */
  @SchemaIgnore
  public String getPickupDate() {
    return NewYorkTime.date(getPickupMicros());
  }

  /** The pickup's New York calendar date as days since 1970-01-01. */
  @SchemaIgnore
  public int getPickupEpochDay() {
    return NewYorkTime.epochDay(getPickupMicros());
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

  /** Lineage: the raw file the trip was read from (empty where unknown). Not part of the trip's content. */
  public abstract String getSourceFile();

  /** Lineage: the trip's row in its raw file (1 = first data row; 0 where unknown). Not part of its content. */
  public abstract long getSourceRow();

  /** The content fields (column names of the processed zone) in which {@code other} differs from this trip. */
  public List<String> differingFields(Trip other) {
    List<String> d = new ArrayList<>();
    differs(d, "trip_id", getTripId(), other.getTripId());
    differs(d, "source", getSource(), other.getSource());
    differs(d, "vendor_id", getVendorId(), other.getVendorId());
    differs(d, "pickup_datetime", getPickupMicros(), other.getPickupMicros());
    differs(d, "dropoff_datetime", getDropoffMicros(), other.getDropoffMicros());
    differs(d, "pu_zone_id", getPuZoneId(), other.getPuZoneId());
    differs(d, "do_zone_id", getDoZoneId(), other.getDoZoneId());
    differs(d, "passenger_count", getPassengerCount(), other.getPassengerCount());
    differs(d, "trip_distance", getDistanceMiles(), other.getDistanceMiles());
    differs(d, "fare_cents", getFareCents(), other.getFareCents());
    differs(d, "tip_cents", getTipCents(), other.getTipCents());
    differs(d, "tolls_cents", getTollsCents(), other.getTollsCents());
    differs(d, "total_cents", getTotalCents(), other.getTotalCents());
    differs(d, "payment_type", getPaymentType(), other.getPaymentType());
    differs(d, "user_id", getUserId(), other.getUserId());
    return d;
  }

  private static void differs(List<String> into, String field, @Nullable Object a, @Nullable Object b) {
    if (!Objects.equals(a, b)) {
      into.add(field);
    }
  }

  /** A builder without lineage (empty source file, row 0) until one is set. */
  public static Builder builder() {
    return new AutoValue_Trip.Builder().setSourceFile("").setSourceRow(0);
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

    public Builder setPickup(Instant value) {
      return setPickupMicros(NewYorkTime.toMicros(value));
    }

    public Builder setDropoff(Instant value) {
      return setDropoffMicros(NewYorkTime.toMicros(value));
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

    public abstract Builder setSourceFile(String value);

    public abstract Builder setSourceRow(long value);

    public abstract Trip build();
  }
}
