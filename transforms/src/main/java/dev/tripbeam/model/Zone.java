package dev.tripbeam.model;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.Collection;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One row of the NYC taxi zone table ({@code taxi_zone_lookup.csv}). */
@AutoValue
@DefaultSchema(AutoValueSchema.class)
public abstract class Zone implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract int getLocationId();

  public abstract String getBorough();

  public abstract String getZone();

  public abstract String getServiceZone();

  /**
   * The zones in an array indexed by location id (null where the table has no zone): a lookup without boxing, for
   * steps that look up every trip's zones.
   */
  public static Zone[] byLocationId(Collection<Zone> zones) {
    int max = zones.stream().mapToInt(Zone::getLocationId).max().orElse(0);
    Zone[] byId = new Zone[Math.max(0, max) + 1];
    for (Zone z : zones) {
      if (z.getLocationId() >= 0) {
        byId[z.getLocationId()] = z;
      }
    }
    return byId;
  }

  /** The zone of {@code id} in an array made by {@link #byLocationId}, or null. */
  public static @Nullable Zone lookup(Zone[] byId, int id) {
    return id >= 0 && id < byId.length ? byId[id] : null;
  }

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
