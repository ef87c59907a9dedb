package dev.tripbeam.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaIgnore;

/** A valid unique trip with the borough and zone names of its pickup and dropoff zones. */
@AutoValue
@DefaultSchema(AutoValueSchema.class)
public abstract class EnrichedTrip {

  public abstract Trip getTrip();

  public abstract String getPuBorough();

  public abstract String getPuZone();

  public abstract String getDoBorough();

  public abstract String getDoZone();

  /** The pickup's New York calendar date, {@code YYYY-MM-DD}. */
  @SchemaIgnore
  public String getPickupDate() {
    return getTrip().getPickupDate();
  }

  public static EnrichedTrip of(Trip trip, Zone pickupZone, Zone dropoffZone) {
    return builder()
        .setTrip(trip)
        .setPuBorough(pickupZone.getBorough())
        .setPuZone(pickupZone.getZone())
        .setDoBorough(dropoffZone.getBorough())
        .setDoZone(dropoffZone.getZone())
        .build();
  }

  public static Builder builder() {
    return new AutoValue_EnrichedTrip.Builder();
  }

  /** Builder of {@link EnrichedTrip}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setTrip(Trip value);

    public abstract Builder setPuBorough(String value);

    public abstract Builder setPuZone(String value);

    public abstract Builder setDoBorough(String value);

    public abstract Builder setDoZone(String value);

    public abstract EnrichedTrip build();
  }
}
