package dev.tripbeam.serving;

import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.lake.LakeZone;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * A table of the serving database and the lake zone it mirrors: its columns are the zone's Parquet columns (names and
 * order of the writer's Avro schema), its primary key the zone's key. Created by the migrations under {@code
 * db/serving}; {@code ServingSchemaTest} checks that the migrated tables have exactly these columns with the types
 * {@link #sqlType} gives.
 */
public enum ServingTable {
  USER_DAILY(LakeZone.USER_DAILY, List.of("user_id", LakeZone.PARTITION_COLUMN)),
  ZONE_DAILY(LakeZone.ZONE_DAILY, List.of(LakeZone.PARTITION_COLUMN, "pu_zone_id"));

  /** The date column every served table has; the lake partitions the zones by it. */
  public static final String DATE_COLUMN = LakeZone.PARTITION_COLUMN;

  private final LakeZone zone;
  private final List<String> key;

  ServingTable(LakeZone zone, List<String> key) {
    this.zone = zone;
    this.key = key;
  }

  /** The table's name: the zone's. */
  public String table() {
    return zone.zoneName();
  }

  /** The lake zone the table mirrors. */
  public LakeZone zone() {
    return zone;
  }

  public Schema schema() {
    return zone.schema();
  }

  public List<String> key() {
    return key;
  }

  public List<String> columns() {
    List<String> columns = new ArrayList<>();
    schema().getFields().forEach(f -> columns.add(f.name()));
    return columns;
  }

  /** The columns outside the primary key, the ones an upsert updates. */
  public List<String> valueColumns() {
    List<String> values = new ArrayList<>(columns());
    values.removeAll(key);
    return values;
  }

  /** The PostgreSQL type of a Parquet column of the zone (as {@code information_schema.columns.data_type} names it). */
  public static String sqlType(Schema.Field field) {
    Schema s = AvroRecords.valueType(field.schema());
    String logical = s.getLogicalType() == null ? "" : s.getLogicalType().getName();
    switch (logical) {
      case "date":
        return "date";
      case "timestamp-micros":
        return "timestamp with time zone";
      case "local-timestamp-micros":
        return "timestamp without time zone";
      default:
        break;
    }
    switch (s.getType()) {
      case STRING:
        return "text";
      case INT:
        return "integer";
      case LONG:
        return "bigint";
      case DOUBLE:
        return "double precision";
      case BOOLEAN:
        return "boolean";
      default:
        throw new IllegalArgumentException("no PostgreSQL type for the column " + field.name() + " (" + s + ")");
    }
  }
}
