package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.lake.IcebergLake;
import dev.tripbeam.lake.LakeLayout;
import dev.tripbeam.lake.LakeZone;
import dev.tripbeam.oracles.DuckDbReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled real NYC TLC files (yellow CSV with its truncated last line, green ZSTD Parquet, two gzipped
 * samples), dirty as published, and the bundled app-format JSON lines, through the whole job on embedded Flink and on
 * Spark local, each in its own JVM: zone_daily, the app trips' user_daily and the report counts must equal what DuckDB
 * SQL computes from the same raw files with the same rules, and the two runners must agree exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealDataCrossCheckTest {
  @TempDir static Path tmp;
  private ForkedRun flink;
  private ForkedRun spark;

  @BeforeAll
  void runBothRunners() throws Exception {
    String input = String.join(",", RealFiles.CSV.stream().map(Path::toString).toList())
        + "," + RealFiles.GREEN_PARQUET + "," + RealFiles.APP_JSONL;
    flink = ForkedRun.main("flink", tmp.resolve("flink"), "--input=" + input, "--output=" + tmp.resolve("flink"));
    spark = ForkedRun.main("spark", tmp.resolve("spark"), "--input=" + input, "--output=" + tmp.resolve("spark"));
  }

  @Test
  void flinkZoneDailyAndCountsEqualDuckDb() throws Exception {
    assertEquals(0, flink.exitCode, flink::toString);
    try (DuckDbReference duck = bundledSample()) {
      Map<String, Long> expected = duck.counts();
      assertEquals(expected, reportCounts(flink.report()));
      assertTrue(expected.get("read") > 100_000, "all real rows are read: " + expected);
      assertTrue(expected.size() > 6, "the real data is dirty in several ways: " + expected);

      assertZoneDailyEquals(duck.zoneDaily(), flink.output);
    }
  }

  /** DuckDB over the raw files of the runs here: TLC CSV, green Parquet and the bundled app-format JSON lines. */
  private static DuckDbReference bundledSample() throws Exception {
    return new DuckDbReference(
        RealFiles.CSV, List.of(RealFiles.GREEN_PARQUET), List.of(RealFiles.APP_JSONL), RealFiles.ZONES);
  }

  @Test
  void flinkUserDailyOfTheAppTripsEqualsDuckDb() throws Exception {
    assertEquals(0, flink.exitCode, flink::toString);
    try (DuckDbReference duck = bundledSample()) {
      List<String> expected = duck.userDaily();
      assertTrue(expected.size() > 500, "the bundled app sample gives user-days: " + expected.size());
      assertUserDailyEquals(expected, flink.output);
    }
  }

  /** user_daily on disk equals DuckDB's rows: every column, distance within 1e-6. */
  static void assertUserDailyEquals(List<String> expected, Path output) throws Exception {
    List<String> actual = Outputs.userDaily(output);
    assertEquals(expected.size(), actual.size(), "user_daily row count");
    for (int i = 0; i < expected.size(); i++) {
      String[] e = expected.get(i).split("\\|");
      String[] a = actual.get(i).split("\\|");
      for (int c = 0; c < e.length; c++) {
        if (c == 3) {
          assertEquals(Double.parseDouble(e[c]), Double.parseDouble(a[c]), 1e-6, "distance of " + expected.get(i));
        } else {
          assertEquals(e[c], a[c], "column " + c + " of " + expected.get(i) + " vs " + actual.get(i));
        }
      }
    }
  }

  @Test
  void flinkAnomaliesEqualDuckDbsMedianAndMad() throws Exception {
    assertEquals(0, flink.exitCode, flink::toString);
    try (DuckDbReference duck = bundledSample()) {
      List<String> expected = duck.anomalies();
      assertTrue(expected.size() > 30, "the real data has fare outliers on its route-days: " + expected.size());
      assertAnomaliesEqual(expected, flink.output);
    }
  }

  /** The anomalies on disk equal DuckDB's: route and trips exactly, the doubles within 1e-9 relative. */
  static void assertAnomaliesEqual(List<String> expected, Path output) throws Exception {
    List<String> actual =
        !Outputs.hasFiles(output, "aggregated/anomalies/*")
            ? List.of()
            : Outputs.typedRows(
                "select pickup_date::varchar || ':' || pu_zone_id::varchar || '>' || do_zone_id::varchar, "
                    + "fare_per_mile, route_median, route_mad, route_trips, score from read_parquet('" + output
                    + "/aggregated/anomalies/*/*.parquet', hive_partitioning=false) order by 1, 2");
    assertEquals(expected.size(), actual.size(), "anomaly count");
    for (int i = 0; i < expected.size(); i++) {
      String[] e = expected.get(i).split("\\|");
      String[] a = actual.get(i).split("\\|");
      assertEquals(e[0], a[0], "route of " + expected.get(i) + " vs " + actual.get(i));
      assertEquals(e[4], a[4], "route trips of " + expected.get(i));
      for (int c : new int[] {1, 2, 3, 5}) {
        double ev = Double.parseDouble(e[c]);
        assertEquals(ev, Double.parseDouble(a[c]), 1e-9 * Math.max(1, Math.abs(ev)), c + " of " + expected.get(i));
      }
    }
  }

  @Test
  void sparkGivesTheSameOutputAsFlink() throws Exception {
    assertEquals(0, flink.exitCode, flink::toString);
    assertEquals(0, spark.exitCode, spark::toString);
    assertEquals(reportCounts(flink.report()), reportCounts(spark.report()));
    assertEquals(Outputs.zoneDaily(flink.output), Outputs.zoneDaily(spark.output));
    assertEquals(Outputs.processedFingerprint(flink.output), Outputs.processedFingerprint(spark.output));
    assertEquals(Outputs.userDaily(flink.output), Outputs.userDaily(spark.output));
    assertEquals(Outputs.rejectedByReason(flink.output), Outputs.rejectedByReason(spark.output));
    assertEquals(Outputs.zones(flink.output), Outputs.zones(spark.output), "every column of every zone");
  }

  @Test
  void reportReconcilesWithTheZonesOnDisk() throws Exception {
    for (ForkedRun run : List.of(flink, spark)) {
      assertEquals(0, run.exitCode, run::toString);
      JsonNode report = run.report();
      JsonNode counts = report.get("counts");
      assertTrue(report.get("reconciled").asBoolean());
      assertEquals(
          counts.get("read").asLong(),
          counts.get("valid").asLong() + counts.get("duplicates").asLong() + counts.get("rejected_total").asLong(),
          "read = valid + duplicates + rejected, where rejected holds the conflicting duplicates");
      assertEquals(
          counts.get("conflicting_duplicates").asLong(), counts.at("/rejected/conflicting_duplicate").asLong(0));
      List<String> fromReport = new ArrayList<>();
      counts.get("rejected").fields().forEachRemaining(e -> fromReport.add(e.getKey() + "|" + e.getValue()));
      assertEquals(fromReport, Outputs.rejectedByReason(run.output));
      assertEquals(
          counts.get("valid").asLong() + "",
          Outputs.processedFingerprint(run.output).split("\\|")[0]);
      assertEquals(
          report.get("outputs").get("zone_daily").get("rows").asLong(), Outputs.zoneDaily(run.output).size());
      assertTrue(run.stdout.contains("reconciled  yes"), run.stdout);
    }
  }

  /** Every zone_daily row on disk equals DuckDB's row for its key, and there are as many. */
  static void assertZoneDailyEquals(Map<String, Object[]> expectedRows, Path output) throws Exception {
    List<String> actual = Outputs.zoneDaily(output);
    assertEquals(expectedRows.size(), actual.size(), "zone_daily row count");
    for (String row : actual) {
      String[] f = row.split("\\|", -1);
      Object[] e = expectedRows.get(f[0] + "|" + f[1]);
      String where = "zone_daily " + f[0] + " zone " + f[1];
      assertTrue(e != null, where + " is not in DuckDB's result");
      assertEquals(e[0], f[2], where + " borough");
      assertEquals(e[1], f[3], where + " zone");
      assertEquals(e[2], Long.parseLong(f[4]), where + " trips");
      assertEquals(e[3], Long.parseLong(f[5]), where + " passengers");
      assertEquals((Double) e[4], Double.parseDouble(f[6]), 1e-6, where + " distance_miles");
      assertEquals(e[5], Long.parseLong(f[7]), where + " fare_cents");
      assertEquals(e[6], Long.parseLong(f[8]), where + " tip_cents");
      assertEquals(e[7], Long.parseLong(f[9]), where + " total_cents");
      assertEquals((Double) e[8], Double.parseDouble(f[10]), 1e-6, where + " avg_duration_s");
    }
  }

  static Map<String, Long> reportCounts(JsonNode report) {
    JsonNode counts = report.get("counts");
    Map<String, Long> flat = new TreeMap<>();
    flat.put("read", counts.get("read").asLong());
    flat.put("valid", counts.get("valid").asLong());
    flat.put("duplicates", counts.get("duplicates").asLong());
    flat.put("conflicting_duplicates", counts.get("conflicting_duplicates").asLong());
    for (Iterator<Map.Entry<String, JsonNode>> it = counts.get("rejected").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      flat.put("rejected." + e.getKey(), e.getValue().asLong());
    }
    return flat;
  }

  /**
   * Every zone's Iceberg table (what Athena, Spark and Trino read by name through the catalog) has exactly the columns
   * and types of the Parquet files this run wrote, each zone's, read from the files' footers by DuckDB and typed from
   * their physical and logical types; a partitioned zone's pickup_date, which Iceberg reads from the partition, aside.
   */
  @Test
  void tableSchemasMatchTheParquetFilesTheRunWrote() throws Exception {
    Path lake = tmp.resolve("flink");
    try (IcebergLake tables = IcebergLake.open(null, "tripbeam", new LakeLayout(lake.toString()))) {
      for (LakeZone zone : LakeZone.values()) {
        String glob = lake.resolve(zone.location()) + (zone.partitioned() ? "/*/*.parquet" : "/*.parquet");
        Map<String, String> inTable = new TreeMap<>();
        for (Types.NestedField column : tables.existing(zone).schema().columns()) {
          if (!(zone.partitioned() && column.name().equals("pickup_date"))) {
            inTable.put(column.name(), icebergType(column.type()));
          }
        }
        assertEquals(fileColumns(glob, zone.partitioned()), inTable, zone.zoneName());
      }
    }
  }

  private static Map<String, String> fileColumns(String glob, boolean partitioned) throws Exception {
    List<String> rows =
        Outputs.query(
            "SELECT DISTINCT name, type, coalesce(logical_type, ''), coalesce(converted_type, '') FROM "
                + "parquet_schema('" + glob + "') WHERE num_children IS NULL ORDER BY name");
    assertFalse(rows.isEmpty(), "no Parquet file in " + glob);
    Map<String, String> inFiles = new TreeMap<>();
    for (String row : rows) {
      String[] f = row.split("\\|", -1);
      String type =
          f[3].equals("DATE") ? "date"
              : f[3].startsWith("TIMESTAMP") || f[2].startsWith("TimestampType") ? "timestamp"
              : f[1].equals("BYTE_ARRAY") && f[3].equals("UTF8") ? "string"
              : f[1].equals("INT32") ? "int"
              : f[1].equals("INT64") ? "bigint"
              : f[1].equals("DOUBLE") ? "double"
              : f[1].equals("BOOLEAN") ? "boolean" : "unknown " + row;
      if (!(partitioned && f[0].equals("pickup_date"))) {
        String before = inFiles.put(f[0], type);
        assertTrue(before == null || before.equals(type), glob + ": the files disagree on " + f[0]);
      }
    }
    return inFiles;
  }

  private static String icebergType(Type type) {
    return switch (type.typeId()) {
      case DATE -> "date";
      case TIMESTAMP -> "timestamp";
      case STRING -> "string";
      case INTEGER -> "int";
      case LONG -> "bigint";
      case DOUBLE -> "double";
      case BOOLEAN -> "boolean";
      default -> "unknown " + type;
    };
  }
}
