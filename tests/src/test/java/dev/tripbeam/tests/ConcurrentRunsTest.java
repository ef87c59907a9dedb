package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Generated;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.SparkTables;
import dev.tripbeam.fixtures.TableFiles;
import dev.tripbeam.lake.IcebergLake;
import dev.tripbeam.lake.LakeLayout;
import dev.tripbeam.lake.LakeZone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two incremental runs on embedded Flink started together on one local lake, each with a generated app file of the
 * same days (seeds 7 and 8, as in the issue's report). The run whose commit finds the other's commit on its dates is
 * refused with one line and commits nothing; run again, the lake equals one full run over both files in every column
 * of every zone, with one row per zone_daily and user_daily key. A reader polling the tables meanwhile never sees a
 * snapshot that mixes two runs' files of one date, and the first run's rows come back by snapshot. A second reader,
 * Spark SQL with Iceberg's Spark runtime through the same SQLite catalog, reads every zone's table and gets exactly the
 * rows DuckDB reads from the files of the current snapshot (the folders also hold the replaced files, not yet expired),
 * and zone_daily {@code VERSION AS OF} the previous snapshot gets that snapshot's rows.
 */
class ConcurrentRunsTest {
  @TempDir Path tmp;

  @Test
  void twoRunsStartedTogetherNeitherMixNorLoseTrips() throws Exception {
    Path a = Generated.appTrips(tmp.resolve("a"), "parquet", "--users=2000", "--trips=20000", "--days=2", "--seed=7");
    Path b = Generated.appTrips(tmp.resolve("b"), "parquet", "--users=2000", "--trips=20000", "--days=2", "--seed=8");
    Path lake = Files.createDirectories(tmp.resolve("lake"));
    Poller poller = new Poller(lake);
    Thread polling = new Thread(poller, "poller");
    polling.start();
    Process ra = start(lake, "ra", a);
    Process rb = start(lake, "rb", b);
    assertTrue(ra.waitFor(10, TimeUnit.MINUTES) && rb.waitFor(10, TimeUnit.MINUTES), "both runs end");
    Map<String, Integer> exits = Map.of("ra", ra.exitValue(), "rb", rb.exitValue());
    List<String> refused = new ArrayList<>();
    for (Map.Entry<String, Integer> run : exits.entrySet()) {
      String err = Files.readString(tmp.resolve(run.getKey() + ".err"));
      if (run.getValue() != 0) {
        assertEquals(1, run.getValue(), err);
        assertTrue(err.contains("tripbeam: publishing run " + run.getKey() + " failed: another run committed to the "
            + "lake since run " + run.getKey() + " started"), err);
        assertTrue(err.contains("nothing of this run was committed: run it again"), err);
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);
        refused.add(run.getKey());
      }
    }
    assertTrue(refused.size() <= 1, "one run commits: " + exits);
    System.out.println("ConcurrentRunsTest: refused " + refused + " of " + exits);
    String firstCommitted = Outputs.fingerprint(lake, "aggregated/zone_daily/*");
    for (String run : refused) {
      ForkedRun again = ForkedRun.run("flink", lake, List.of(), args(lake, run + "-again", run.equals("ra") ? a : b));
      assertEquals(0, again.exitCode, again::toString);
    }
    poller.stop.set(true);
    polling.join();
    assertEquals(List.of(), poller.mixed, "no snapshot mixes two runs' files of a date");
    assertTrue(poller.snapshots.size() >= 2, "the reader saw the runs' snapshots: " + poller.snapshots);

    ForkedRun full = ForkedRun.run("flink", tmp.resolve("full"), List.of(), "--input=" + a + "," + b,
        "--inputFormat=app", "--output=" + tmp.resolve("full"), "--runId=full");
    assertEquals(0, full.exitCode, full::toString);
    assertEquals(Outputs.zones(tmp.resolve("full")), Outputs.zones(lake), "refused " + refused + ": every zone");
    assertEquals(List.of("0"), Outputs.query("select count(*) - count(distinct (pickup_date, pu_zone_id)) from "
        + "read_parquet(" + TableFiles.of(lake, "aggregated/zone_daily/*") + ")"));
    assertEquals(List.of("0"), Outputs.query("select count(*) - count(distinct (user_id, pickup_date)) from "
        + "read_parquet(" + TableFiles.of(lake, "aggregated/user_daily/*") + ")"));
    Previous previous = previousSnapshot(lake);
    assertEquals(firstCommitted, Outputs.query("select count(*), md5(coalesce(string_agg(t::varchar, chr(10) order by "
        + "t::varchar), '')) from read_parquet(" + previous.files() + ", hive_partitioning=false) t").get(0),
        "the first commit's rows come back by snapshot");
    assertSparkReadsTheSameRows(lake, previous);
  }

  private void assertSparkReadsTheSameRows(Path lake, Previous previous) throws Exception {
    Path spark = tmp.resolve("spark");
    List<String> tables = new ArrayList<>(Stream.of(LakeZone.values()).map(LakeZone::zoneName).toList());
    String past = "zone_daily@" + previous.id();
    tables.add(past);
    Map<String, Long> counted = SparkTables.copy(lake, spark, tables);
    System.out.println("ConcurrentRunsTest: Spark read " + counted);
    for (LakeZone zone : LakeZone.values()) {
      String files = TableFiles.of(lake, zone.location() + (zone.partitioned() ? "/*" : ""));
      assertSameRows(spark.resolve(zone.zoneName()), files, counted.get(zone.zoneName()), zone.zoneName());
    }
    assertSameRows(spark.resolve(past), previous.files(), counted.get(past), "zone_daily VERSION AS OF the parent");
    assertTrue(counted.get("processed_trips") > 30_000, "the trips: " + counted);
  }

  /** Spark's copy of a table holds exactly the rows of {@code files} (a read_parquet list, null for none). */
  private static void assertSameRows(Path copy, String files, long sparkRows, String what) throws Exception {
    String sparkFiles = "'" + copy + "/*.parquet'";
    List<String> columns =
        Outputs.query("select column_name from (describe select * from read_parquet(" + sparkFiles + "))");
    String select = "select " + String.join(", ", columns) + " from read_parquet(";
    String bySpark = select + sparkFiles + ")";
    String inFiles = files == null ? bySpark + " limit 0" : select + files + ", hive_partitioning=false)";
    assertEquals(List.of("0|0|" + sparkRows), Outputs.query(
        "select (select count(*) from (" + bySpark + " except all " + inFiles + ")), (select count(*) from ("
            + inFiles + " except all " + bySpark + ")), (select count(*) from (" + inFiles + "))"),
        what + ": Spark's rows (not in the snapshot's files | in the files, not Spark's | files' rows)");
  }

  private Process start(Path lake, String runId, Path input) throws Exception {
    return ForkedRun.start("flink", List.of(), args(lake, runId, input))
        .redirectOutput(tmp.resolve(runId + ".out").toFile())
        .redirectError(tmp.resolve(runId + ".err").toFile())
        .start();
  }

  private static String[] args(Path lake, String runId, Path input) {
    return new String[] {
      "--input=" + input, "--inputFormat=app", "--output=" + lake, "--incremental=true", "--runId=" + runId
    };
  }

  /** zone_daily's snapshot before the current one: its id, and its files as a {@code read_parquet} list. */
  private record Previous(long id, String files) {}

  private static Previous previousSnapshot(Path lake) throws Exception {
    try (IcebergLake tables = IcebergLake.open(null, "tripbeam", new LakeLayout(lake.toString()))) {
      long parent = tables.existing(LakeZone.ZONE_DAILY).currentSnapshot().parentId();
      List<String> files = new ArrayList<>();
      tables.filesByDate(LakeZone.ZONE_DAILY, parent).values().forEach(files::addAll);
      return new Previous(parent, files.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", ", "[", "]")));
    }
  }

  /** Reads zone_daily's current snapshot until stopped; records each snapshot seen and any date of two runs. */
  private static final class Poller implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    final List<String> mixed = new ArrayList<>();
    final TreeSet<Long> snapshots = new TreeSet<>();
    private final Path lake;

    Poller(Path lake) {
      this.lake = lake;
    }

    @Override
    public void run() {
      while (!stop.get()) {
        try {
          if (Files.exists(lake.resolve("_catalog/iceberg.db"))) {
            poll();
          }
          Thread.sleep(200);
        } catch (Exception e) {
          mixed.add("poll failed: " + e);
          return;
        }
      }
    }

    private void poll() throws Exception {
      try (IcebergLake tables = IcebergLake.open(null, "tripbeam", new LakeLayout(lake.toString()))) {
        Table table = tables.existing(LakeZone.ZONE_DAILY);
        Snapshot current = table == null ? null : table.currentSnapshot();
        if (current == null || !snapshots.add(current.snapshotId())) {
          return;
        }
        Map<String, TreeSet<String>> runsByDate = new TreeMap<>();
        tables.filesByDate(LakeZone.ZONE_DAILY, current.snapshotId()).forEach((date, files) -> {
          TreeSet<String> runs = new TreeSet<>();
          files.forEach(f -> runs.add(f.substring(f.lastIndexOf('/') + 1).replaceAll("-part-.*", "")));
          runsByDate.put(date, runs);
        });
        runsByDate.forEach((date, runs) -> {
          if (runs.size() > 1) {
            mixed.add(current.snapshotId() + " " + date + " " + runs);
          }
        });
      }
    }
  }
}
