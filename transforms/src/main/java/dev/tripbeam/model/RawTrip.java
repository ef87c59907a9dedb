package dev.tripbeam.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One record as read from a raw trip file, before typing: every trip field is the source text (or a text
 * rendering of a Parquet value), null when the field is absent or empty.
 *
 * <p>{@code structureError} is set when the record could not be split into the file's columns (wrong field
 * count, truncated line); such a record is rejected as {@code unparseable} by validation. {@code raw} is the
 * untouched input (the CSV line, or a JSON rendering of a Parquet row) and travels into the rejected zone.
 */
@AutoValue
@DefaultSchema(AutoValueSchema.class)
public abstract class RawTrip {
  public abstract String getSourceFile();

  public abstract long getRowNumber();

  /** {@code yellow}, {@code green} or {@code app}. */
  public abstract String getSource();

  public abstract String getRaw();

  public abstract @Nullable String getStructureError();

  public abstract @Nullable String getTripId();

  public abstract @Nullable String getUserId();

  public abstract @Nullable String getVendorId();

  public abstract @Nullable String getPickup();

  public abstract @Nullable String getDropoff();

  public abstract @Nullable String getPassengerCount();

  public abstract @Nullable String getDistanceMiles();

  public abstract @Nullable String getPuZoneId();

  public abstract @Nullable String getDoZoneId();

  public abstract @Nullable String getFare();

  public abstract @Nullable String getTip();

  public abstract @Nullable String getTolls();

  public abstract @Nullable String getTotal();

  public abstract @Nullable String getPaymentType();

  public static Builder builder() {
    return new AutoValue_RawTrip.Builder();
  }

  public abstract Builder toBuilder();

  /** Builder of {@link RawTrip}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setSourceFile(String value);

    public abstract Builder setRowNumber(long value);

    public abstract Builder setSource(String value);

    public abstract Builder setRaw(String value);

    public abstract Builder setStructureError(@Nullable String value);

    public abstract Builder setTripId(@Nullable String value);

    public abstract Builder setUserId(@Nullable String value);

    public abstract Builder setVendorId(@Nullable String value);

    public abstract Builder setPickup(@Nullable String value);

    public abstract Builder setDropoff(@Nullable String value);

    public abstract Builder setPassengerCount(@Nullable String value);

    public abstract Builder setDistanceMiles(@Nullable String value);

    public abstract Builder setPuZoneId(@Nullable String value);

    public abstract Builder setDoZoneId(@Nullable String value);

    public abstract Builder setFare(@Nullable String value);

    public abstract Builder setTip(@Nullable String value);

    public abstract Builder setTolls(@Nullable String value);

    public abstract Builder setTotal(@Nullable String value);

    public abstract Builder setPaymentType(@Nullable String value);

    public abstract RawTrip build();
  }
}
