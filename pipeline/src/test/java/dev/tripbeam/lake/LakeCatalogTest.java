package dev.tripbeam.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake's catalog opened from its URL: a SQLite file catalog holding every zone's table, and clear refusals. */
class LakeCatalogTest {
  @TempDir Path tmp;

  @Test
  void aSqliteCatalogHoldsEveryZonesTableWithItsMetadataInTheWarehouse() throws Exception {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    Catalog catalog =
        LakeCatalog.open("jdbc:sqlite:" + tmp.resolve("catalog.db"), tmp.resolve("warehouse").toString(), null, null);
    for (LakeZone zone : LakeZone.values()) {
      Table table = LakeTables.ensure(catalog, Namespace.of("lake"), zone);
      assertEquals(zone.partitioned() ? 1 : 0, table.spec().fields().size(), zone::toString);
      assertEquals(zone.schema().getFields().size(), table.schema().columns().size(), zone::toString);
      assertEquals(table.location(), LakeTables.ensure(catalog, Namespace.of("lake"), zone).location(), "found again");
    }
    Table trips = LakeTables.ensure(catalog, Namespace.of("lake"), LakeZone.PROCESSED_TRIPS);
    assertTrue(trips.schema().findType("pickup_datetime") instanceof Types.TimestampType t && t.shouldAdjustToUTC());
    assertEquals(
        Types.TimestampType.withoutZone(),
        trips.schema().findType("pickup_local_datetime"),
        "New York wall-clock times stay timestamps without zone");
    try (Stream<Path> files = Files.walk(tmp.resolve("warehouse"))) {
      List<String> metadata = files.map(Path::toString).filter(f -> f.endsWith(".metadata.json")).toList();
      assertTrue(metadata.size() >= LakeZone.values().length, metadata::toString);
    }
  }

  @Test
  void anUnsupportedCatalogOrAMissingWarehouseIsRefusedInOneLine() {
    IllegalArgumentException hadoop =
        assertThrows(
            IllegalArgumentException.class,
            () -> LakeCatalog.open("s3://bucket/warehouse?secret=x", tmp.toString(), null, null));
    assertEquals(
        "the lake catalog must be jdbc:sqlite:PATH, jdbc:postgresql://HOST:PORT/DB or glue, not 's3://bucket/warehouse?…'",
        hadoop.getMessage());
    IllegalArgumentException noWarehouse =
        assertThrows(
            IllegalArgumentException.class,
            () -> LakeCatalog.open("jdbc:sqlite:" + tmp.resolve("c.db"), " ", null, null));
    assertFalse(noWarehouse.getMessage().contains("\n"));
  }
}
