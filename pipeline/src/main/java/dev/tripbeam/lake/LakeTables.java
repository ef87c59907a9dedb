package dev.tripbeam.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.avro.AvroSchemaUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Each {@link LakeZone} as an Iceberg table: its schema is the zone's Avro schema in Iceberg's types ({@code
 * timestamp-micros} → timestamptz, {@code local-timestamp-micros} → timestamp, {@code date} → date, cents → long),
 * partitioned by identity of {@value LakeZone#PARTITION_COLUMN} where the zone is, with a default name mapping, since
 * Beam writes the data files without Iceberg's field ids. Tables live in one namespace of the catalog.
 */
public final class LakeTables {
  private LakeTables() {}

  /** The zone's table name: the zone's name. */
  public static TableIdentifier identifier(Namespace namespace, LakeZone zone) {
    return TableIdentifier.of(namespace, zone.zoneName());
  }

  /**
   * The zone's schema in Iceberg's types. Iceberg's Avro converter reads {@code timestamp-micros} as timestamptz only
   * with its own {@code adjust-to-utc} property, which the zones' schemas do not carry, and {@code
   * local-timestamp-micros} not at all (a long), so those columns are typed here as the files hold them: Parquet
   * TIMESTAMP(MICROS) adjusted to UTC (timestamptz) or not (timestamp).
   */
  public static Schema schema(LakeZone zone) {
    Schema converted = AvroSchemaUtil.toIceberg(zone.schema());
    List<Types.NestedField> columns = new ArrayList<>();
    for (Types.NestedField column : converted.columns()) {
      Type type = timestamp(zone.schema().getField(column.name()).schema());
      columns.add(
          Types.NestedField.of(
              column.fieldId(), column.isOptional(), column.name(), type == null ? column.type() : type, column.doc()));
    }
    return new Schema(columns);
  }

  /** The Iceberg timestamp type of an Avro field (or its non-null branch), or null when it is no timestamp. */
  private static Type timestamp(org.apache.avro.Schema field) {
    if (field.getType() == org.apache.avro.Schema.Type.UNION) {
      for (org.apache.avro.Schema branch : field.getTypes()) {
        Type t = timestamp(branch);
        if (t != null) {
          return t;
        }
      }
      return null;
    }
    LogicalType logical = field.getLogicalType();
    if (logical instanceof LogicalTypes.TimestampMicros) {
      return Types.TimestampType.withZone();
    }
    return logical instanceof LogicalTypes.LocalTimestampMicros ? Types.TimestampType.withoutZone() : null;
  }

  public static PartitionSpec spec(LakeZone zone, Schema schema) {
    return zone.partitioned()
        ? PartitionSpec.builderFor(schema).identity(LakeZone.PARTITION_COLUMN).build()
        : PartitionSpec.unpartitioned();
  }

  /** The zone's table, created (with its namespace) at the catalog's default location when the catalog lacks it. */
  public static Table ensure(Catalog catalog, Namespace namespace, LakeZone zone) {
    Schema schema = schema(zone);
    return ensure(catalog, identifier(namespace, zone), schema, spec(zone, schema), null);
  }

  /**
   * The table {@code id}, created (with its namespace, a name mapping and format version 2) at {@code location} (the
   * catalog's default when null) when the catalog lacks it; a run creating it at the same time is no error.
   *
   * @throws IllegalArgumentException when the catalog holds the table at another location (another lake's table)
   */
  public static Table ensure(
      Catalog catalog, TableIdentifier id, Schema schema, PartitionSpec spec, @Nullable String location) {
    if (!catalog.tableExists(id)) {
      create(catalog, id, schema, spec, location);
    }
    Table table = catalog.loadTable(id);
    if (location != null && !table.location().replaceAll("/+$", "").equals(location)) {
      throw new IllegalArgumentException(
          "the catalog's table " + id + " belongs to the lake at " + table.location() + ", not " + location
              + ": give this lake its own --catalogNamespace");
    }
    return table;
  }

  private static void create(
      Catalog catalog, TableIdentifier id, Schema schema, PartitionSpec spec, @Nullable String location) {
    if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(id.namespace())) {
      try {
        namespaces.createNamespace(id.namespace());
      } catch (AlreadyExistsException e) {
        // created by a run started at the same time
      }
    }
    Map<String, String> properties =
        Map.of(TableProperties.FORMAT_VERSION, "2", TableProperties.DEFAULT_FILE_FORMAT, "parquet");
    try {
      // The mapping is made from the created table's schema: creation assigns the column ids afresh.
      Transaction create = catalog.newCreateTableTransaction(id, schema, spec, location, properties);
      String mapping = NameMappingParser.toJson(MappingUtil.create(create.table().schema()));
      create.updateProperties().set(TableProperties.DEFAULT_NAME_MAPPING, mapping).commit();
      create.commitTransaction();
    } catch (AlreadyExistsException e) {
      // created by a run started at the same time
    }
  }
}
