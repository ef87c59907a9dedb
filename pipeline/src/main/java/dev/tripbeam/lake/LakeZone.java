package dev.tripbeam.lake;

import dev.tripbeam.io.AvroRecords;
import org.apache.avro.Schema;

/**
 * The curated zones of the lake, the one description the batch and streaming writers, the report, the serving load,
 * the Athena catalog and the tests read: the zone's name (in reports, manifests and the catalog), its folder under
 * the lake root, the Avro schema its Parquet files are written with, and whether it is partitioned by {@link
 * #PARTITION_COLUMN} (Hive-style {@code pickup_date=YYYY-MM-DD/}). Declared in report order.
 */
public enum LakeZone {
  PROCESSED_TRIPS("processed_trips", "processed/trips", AvroRecords.PROCESSED_TRIP, true),
  ZONE_DAILY("zone_daily", "aggregated/zone_daily", AvroRecords.ZONE_DAILY, true),
  USER_DAILY("user_daily", "aggregated/user_daily", AvroRecords.USER_DAILY, true),
  ANOMALIES("anomalies", "aggregated/anomalies", AvroRecords.FARE_ANOMALY, true),
  REJECTED("rejected", "rejected", AvroRecords.REJECTED, false);

  /** The column every partitioned zone is partitioned by: the New York pickup date. */
  public static final String PARTITION_COLUMN = "pickup_date";

  private final String zoneName;
  private final String location;
  private final Schema schema;
  private final boolean partitioned;

  LakeZone(String zoneName, String location, Schema schema, boolean partitioned) {
    this.zoneName = zoneName;
    this.location = location;
    this.schema = schema;
    this.partitioned = partitioned;
  }

  /** The zone's name in reports, manifests, the catalog and the serving database. */
  public String zoneName() {
    return zoneName;
  }

  /** The zone's folder relative to the lake root. */
  public String location() {
    return location;
  }

  /** The Avro schema of the zone's Parquet files. */
  public Schema schema() {
    return schema;
  }

  public boolean partitioned() {
    return partitioned;
  }

  /** The layout the job writes the zone's files with (its schema, its columns of distinct values). */
  public AvroRecords.Layout<?> layout() {
    return switch (this) {
      case PROCESSED_TRIPS -> AvroRecords.processedTrips();
      case ZONE_DAILY -> AvroRecords.zoneDaily();
      case USER_DAILY -> AvroRecords.userDaily();
      case ANOMALIES -> AvroRecords.anomalies();
      case REJECTED -> AvroRecords.rejected();
    };
  }

  /** The folder of one pickup date's partition, relative to the zone's folder. */
  public static String partition(String date) {
    return PARTITION_COLUMN + "=" + date;
  }
}
