package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.LocalS3;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.lake.LakeCatalog;
import dev.tripbeam.lake.LakeTables;
import dev.tripbeam.lake.LakeZone;
import dev.tripbeam.lake.RunMode;
import dev.tripbeam.lake.TableCommit;
import dev.tripbeam.lake.ZoneFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zones of a real run (the bundled green month and app JSON lines on embedded Flink) committed as Iceberg tables in
 * a JDBC catalog (SQLite) through Beam's file systems, also with the warehouse and the files on a local S3 server:
 * every table's current snapshot lists exactly the run's files (DuckDB reads them and gets each zone's rows, every
 * column), Iceberg's own reader reads them through the name mapping, the types are Iceberg's, an incremental commit
 * replaces only its dates, a second commit from the same starting snapshot is refused, and the previous snapshot still
 * reads back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IcebergTablesTest {
  @TempDir static Path tmp;
  private Path lake;
  private JdbcCatalog catalog;

  @BeforeAll
  void runOnce() throws Exception {
    lake = tmp.resolve("lake");
    ForkedRun run =
        ForkedRun.main(
            "flink", lake, "--input=" + RealFiles.GREEN_PARQUET + "," + RealFiles.APP_JSONL, "--output=" + lake);
    assertEquals(0, run.exitCode, run::toString);
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    catalog =
        LakeCatalog.open("jdbc:sqlite:" + tmp.resolve("catalog.db"), tmp.resolve("warehouse").toString(), null, null);
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  private List<String> zoneFiles(LakeZone zone) throws Exception {
    try (Stream<Path> tree = Files.walk(lake.resolve(zone.location()))) {
      return tree.filter(p -> p.toString().endsWith(".parquet")).map(Path::toString).sorted().toList();
    }
  }

  private static List<String> filesOf(Table table, Long snapshot) throws Exception {
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot).planFiles()) {
      tasks.forEach(t -> files.add(t.file().location()));
    }
    files.sort(null);
    return files;
  }

  /** DuckDB's count|md5 over every column of the files, as {@link Outputs#fingerprint} renders a zone folder. */
  private static String fingerprint(List<String> files) throws Exception {
    if (files.isEmpty()) {
      return "0|no file";
    }
    String list = String.join(",", files.stream().map(f -> "'" + f + "'").toList());
    return Outputs.query(
            "select count(*), md5(coalesce(string_agg(t::varchar, chr(10) order by t::varchar), '')) "
                + "from read_parquet([" + list + "], hive_partitioning=false) t")
        .get(0);
  }

  private Table committedFull(Namespace ns, LakeZone zone) throws Exception {
    Table table = LakeTables.ensure(catalog, ns, zone);
    TableCommit.commit(
        table, zone, RunMode.FULL_REFRESH, List.of(), ZoneFiles.of(table, zone, zoneFiles(zone)),
        TableCommit.current(table), "r1", Map.of());
    return table;
  }

  @Test
  void everyZoneTableListsTheRunsFilesAndReadsAsTheFolderDoes() throws Exception {
    Namespace ns = Namespace.of("full");
    for (LakeZone zone : LakeZone.values()) {
      Table table = committedFull(ns, zone);
      Snapshot snapshot = table.currentSnapshot();
      assertEquals("r1", snapshot.summary().get(TableCommit.RUN_ID), zone::toString);
      assertEquals(zoneFiles(zone), filesOf(table, snapshot.snapshotId()), zone::toString);
      String folder = Outputs.fingerprint(lake, zone.partitioned() ? zone.location() + "/*" : zone.location());
      assertEquals(folder, fingerprint(filesOf(table, snapshot.snapshotId())), zone::toString);
      assertEquals(
          folder.split("\\|")[0], snapshot.summary().get("total-records"), zone + ": rows from the footers");
    }
    Table trips = catalog.loadTable(LakeTables.identifier(ns, LakeZone.PROCESSED_TRIPS));
    assertTrue(trips.schema().findType("pickup_datetime") instanceof Types.TimestampType t && t.shouldAdjustToUTC());
    assertEquals(Types.DateType.get(), trips.schema().findType("pickup_date"));
    assertEquals(Types.LongType.get(), trips.schema().findType("fare_cents"));
    assertEquals(List.of("pickup_date"), trips.spec().fields().stream().map(f -> f.name()).toList());
    long read = 0;
    Set<String> tripIds = new TreeSet<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(trips).select("trip_id", "fare_cents").build()) {
      for (Record r : rows) {
        read++;
        assertTrue(r.getField("trip_id") != null && r.getField("fare_cents") instanceof Long, r::toString);
        tripIds.add((String) r.getField("trip_id"));
      }
    }
    String count = Outputs.fingerprint(lake, "processed/trips/*").split("\\|")[0];
    assertEquals(Long.parseLong(count), read, "Iceberg's reader reads every trip through the name mapping");
    assertEquals(read, tripIds.size(), "one row per trip id");
  }

  @Test
  void anIncrementalCommitReplacesItsDatesOnlyAndThePreviousSnapshotReadsBack() throws Exception {
    Namespace ns = Namespace.of("incremental");
    LakeZone zone = LakeZone.ZONE_DAILY;
    Table table = committedFull(ns, zone);
    long first = table.currentSnapshot().snapshotId();
    List<String> before = filesOf(table, first);
    List<String> dates = datesOf(before);
    assertTrue(dates.size() > 3, "the green month spans many dates: " + dates);
    String kept = dates.get(0);
    String emptied = dates.get(1);
    List<String> recomputed =
        copies(before.stream().filter(f -> f.contains("pickup_date=" + kept + "/")).toList(), "r2");
    TableCommit.commit(
        table, zone, RunMode.INCREMENTAL, List.of(kept, emptied), ZoneFiles.of(table, zone, recomputed), first, "r2",
        Map.of());
    List<String> after = filesOf(table, table.currentSnapshot().snapshotId());
    List<String> untouched = new ArrayList<>(before);
    untouched.removeIf(f -> f.contains("pickup_date=" + kept + "/") || f.contains("pickup_date=" + emptied + "/"));
    List<String> expected = new ArrayList<>(untouched);
    expected.addAll(recomputed);
    expected.sort(null);
    assertEquals(expected, after, "the untouched dates keep their very files; the two dates are replaced");
    assertFalse(datesOf(after).contains(emptied), "a recomputed date without rows loses its old rows");
    assertEquals(before, filesOf(table, first), "the previous run's snapshot still lists its files");
    assertEquals(Outputs.fingerprint(lake, zone.location() + "/*"), fingerprint(filesOf(table, first)));
  }

  @Test
  void aSecondCommitFromTheSameStartingSnapshotIsRefused() throws Exception {
    Namespace ns = Namespace.of("concurrent");
    LakeZone zone = LakeZone.ZONE_DAILY;
    Table table = committedFull(ns, zone);
    long start = table.currentSnapshot().snapshotId();
    List<String> files = filesOf(table, start);
    String date = datesOf(files).get(0);
    List<String> ofDate = files.stream().filter(f -> f.contains("pickup_date=" + date + "/")).toList();
    List<String> a = copies(ofDate, "ra");
    List<String> b = copies(ofDate, "rb");
    TableCommit.commit(table, zone, RunMode.INCREMENTAL, List.of(date), ZoneFiles.of(table, zone, a), start, "ra",
        Map.of());
    Table other = catalog.loadTable(LakeTables.identifier(ns, zone));
    assertThrows(
        ValidationException.class,
        () -> TableCommit.commit(
            other, zone, RunMode.INCREMENTAL, List.of(date), ZoneFiles.of(other, zone, b), start, "rb", Map.of()));
    table.refresh();
    assertEquals("ra", table.currentSnapshot().summary().get(TableCommit.RUN_ID));
    List<String> now = filesOf(table, table.currentSnapshot().snapshotId());
    assertTrue(now.containsAll(a) && b.stream().noneMatch(now::contains), now::toString);
  }

  @Test
  void aTableWithItsWarehouseOnS3IsWrittenAndReadThroughBeamsFileSystem() throws Exception {
    LakeZone zone = LakeZone.ZONE_DAILY;
    try (LocalS3 s3 = LocalS3.start(tmp.resolve("s3"))) {
      s3.createBucket("lake");
      FileSystems.setDefaultPipelineOptions(s3.beamOptions());
      List<String> uploaded = new ArrayList<>();
      for (String f : zoneFiles(zone)) {
        String key = "curated/" + f.substring(lake.toString().length() + 1);
        s3.put("lake", key, Path.of(f));
        uploaded.add("s3://lake/" + key);
      }
      try (JdbcCatalog onS3 =
          LakeCatalog.open("jdbc:sqlite:" + tmp.resolve("s3-catalog.db"), "s3://lake/warehouse", null, null)) {
        Table table = LakeTables.ensure(onS3, Namespace.of("s3"), zone);
        TableCommit.commit(
            table, zone, RunMode.FULL_REFRESH, List.of(), ZoneFiles.of(table, zone, uploaded), null, "r1", Map.of());
        Table reloaded = onS3.loadTable(LakeTables.identifier(Namespace.of("s3"), zone));
        assertEquals(uploaded.stream().sorted().toList(), filesOf(reloaded, reloaded.currentSnapshot().snapshotId()));
        assertTrue(
            s3.keys("lake", "warehouse/").stream().anyMatch(k -> k.endsWith(".metadata.json")),
            "the table's metadata is on S3");
        long rows = 0;
        try (CloseableIterable<Record> read = IcebergGenerics.read(reloaded).build()) {
          for (Record r : read) {
            rows++;
          }
        }
        assertEquals(Outputs.fingerprint(lake, zone.location() + "/*").split("\\|")[0], Long.toString(rows));
      }
    } finally {
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    }
  }

  /** Copies of a run's files, as another run writing the same partitions would leave them. */
  private List<String> copies(List<String> files, String run) throws Exception {
    List<String> copies = new ArrayList<>();
    int i = 0;
    for (String f : files) {
      String date = f.substring(f.indexOf("pickup_date="), f.indexOf('/', f.indexOf("pickup_date=")));
      Path copy = tmp.resolve(run + "/" + date + "/part-" + i++ + ".parquet");
      Files.createDirectories(copy.getParent());
      Files.copy(Path.of(f), copy);
      copies.add(copy.toString());
    }
    return copies;
  }

  private static List<String> datesOf(List<String> files) {
    Set<String> dates = new TreeSet<>();
    for (String f : files) {
      int at = f.indexOf("pickup_date=");
      dates.add(f.substring(at + "pickup_date=".length(), f.indexOf('/', at)));
    }
    return new ArrayList<>(dates);
  }
}
