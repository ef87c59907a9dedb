package dev.tripbeam.model;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** One row of the NYC taxi zone table ({@code taxi_zone_lookup.csv}). */
@AutoValue
@DefaultSchema(AutoValueSchema.class)
public abstract class Zone implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract int getLocationId();

  public abstract String getBorough();

  public abstract String getZone();

  public abstract String getServiceZone();

  public static Zone of(int locationId, String borough, String zone, String serviceZone) {
    return builder()
        .setLocationId(locationId)
        .setBorough(borough)
        .setZone(zone)
        .setServiceZone(serviceZone)
        .build();
  }

  public static Builder builder() {
    return new AutoValue_Zone.Builder();
  }

  /** Builder of {@link Zone}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setLocationId(int value);

    public abstract Builder setBorough(String value);

    public abstract Builder setZone(String value);

    public abstract Builder setServiceZone(String value);

    public abstract Zone build();
  }
}
