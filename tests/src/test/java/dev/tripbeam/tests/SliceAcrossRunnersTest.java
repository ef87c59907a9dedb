package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.fixtures.DirectRun;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.oracles.DuckDbReference;
import dev.tripbeam.run.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One small slice of the real yellow file (its first rows, every row of its first 3,000 with a negative amount, the truncated last
 * line, and two copies of a real trip) on Direct, embedded Flink and Spark local: the outputs must be identical. Then on
 * each runner an incremental run adds a late file of copies, half of them conflicting: the same counts everywhere,
 * every zone equal across runners and to one full run over both files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SliceAcrossRunnersTest {
  @TempDir static Path tmp;
  private Path slice;
  private Outcome direct;
  private ForkedRun flink;
  private ForkedRun spark;
  private Path late;
  private Outcome directLater;
  private ForkedRun flinkLater;
  private ForkedRun sparkLater;
  /** Each runner's lake after its first run, read before the incremental runs change the lakes. */
  private final Map<String, FirstRun> first = new java.util.TreeMap<>();

  /** What a lake held after its first run. */
  private record FirstRun(
      JsonNode report, List<String> zoneDaily, String processed, Map<String, String> zones, List<String> datesOfTrips) {
    static FirstRun of(Path lake) throws Exception {
      return new FirstRun(
          new ObjectMapper().readTree(lake.resolve("_reports/run-first.json").toFile()),
          Outputs.zoneDaily(lake),
          Outputs.processedFingerprint(lake),
          Outputs.zones(lake),
          Outputs.query("select pickup_date::varchar from read_parquet('" + lake + "/processed/trips/*/*.parquet')"));
    }
  }

  @BeforeAll
  void runAllRunners() throws Exception {
    slice = RealFiles.yellowSlice(tmp);

    direct = DirectRun.run(slice.toString(), tmp.resolve("direct"), "--runId=first");
    flink = ForkedRun.main("flink", tmp.resolve("flink"), "--input=" + slice, "--output=" + tmp.resolve("flink"),
        "--runId=first");
    spark = ForkedRun.main("spark", tmp.resolve("spark"), "--input=" + slice, "--output=" + tmp.resolve("spark"),
        "--runId=first");
    for (String runner : List.of("direct", "flink", "spark")) {
      first.put(runner, FirstRun.of(tmp.resolve(runner)));
    }

    // Then, on each runner, an incremental run adds a late file: copies of 40 of the slice's trips, every second one
    // with its tip set to 0 (a conflicting copy that displaces the kept one where the tip was not 0 already).
    List<String> lines = RealFiles.yellowLines();
    List<String> copies = new ArrayList<>(List.of(lines.get(0)));
    for (int i = 1; i <= 40; i++) {
      String[] f = lines.get(i).split(",", -1);
      if (i % 2 == 0) {
        f[13] = "0";
      }
      copies.add(String.join(",", f));
    }
    Files.createDirectories(tmp.resolve("late"));
    late = Files.write(tmp.resolve("late").resolve("yellow_late.csv"), copies);
    String both = slice + "," + late;
    // Each runner's lake goes on from its first run (a copied folder would be no lake of its own: its tables' metadata
    // names the original's files).
    directLater = DirectRun.run(both, tmp.resolve("direct"), "--incremental=true", "--runId=later");
    flinkLater =
        ForkedRun.main("flink", tmp.resolve("flink"), "--input=" + both, "--output=" + tmp.resolve("flink"),
            "--incremental=true", "--runId=later");
    sparkLater =
        ForkedRun.main("spark", tmp.resolve("spark"), "--input=" + both, "--output=" + tmp.resolve("spark"),
            "--incremental=true", "--runId=later");
  }

  private static JsonNode laterReport(Path output) throws IOException {
    return new ObjectMapper().readTree(output.resolve("_reports/run-later.json").toFile());
  }

  @Test
  void anIncrementalRunWithConflictingCopiesEndsTheSameOnEveryRunnerAndAsOneFullRun() throws Exception {
    assertEquals(0, flinkLater.exitCode, flinkLater::toString);
    assertEquals(0, sparkLater.exitCode, sparkLater::toString);
    JsonNode report = new ObjectMapper().readTree(Path.of(directLater.reportPath).toFile());
    Map<String, Long> counts = RealDataCrossCheckTest.reportCounts(report);
    List<String> lateDates;
    try (DuckDbReference before = new DuckDbReference(List.of(slice), List.of(), RealFiles.ZONES);
        DuckDbReference all = new DuckDbReference(List.of(slice, late), List.of(), RealFiles.ZONES);
        DuckDbReference lateOnly = new DuckDbReference(List.of(late), List.of(), RealFiles.ZONES)) {
      assertEquals(DuckDbReference.minus(all.counts(), before.counts()), counts, "the later run's counts");
      lateDates = lateOnly.pickupDates();
    }
    assertTrue(counts.get("conflicting_duplicates") > 5 && counts.get("duplicates") > 5, counts::toString);
    assertEquals(
        first.get("direct").datesOfTrips().stream().filter(lateDates::contains).count(),
        report.get("trips_processed_before").asLong(),
        "the processed trips of the late file's dates, read back");
    assertEquals(counts, RealDataCrossCheckTest.reportCounts(laterReport(flinkLater.output)));
    assertEquals(counts, RealDataCrossCheckTest.reportCounts(laterReport(sparkLater.output)));
    Map<String, String> zones = Outputs.zones(tmp.resolve("direct"));
    assertEquals(zones, Outputs.zones(flinkLater.output), "Flink: every column of every zone");
    assertEquals(zones, Outputs.zones(sparkLater.output), "Spark: every column of every zone");
    Outcome full = DirectRun.run(slice + "," + late, tmp.resolve("full"));
    assertEquals(Outputs.zones(tmp.resolve("full")), zones, "the incremental lake equals one full run");
    assertEquals(
        full.report.conflictingDuplicates(),
        direct.report.conflictingDuplicates() + directLater.report.conflictingDuplicates());
  }

  private JsonNode directReport() {
    return first.get("direct").report();
  }

  @Test
  void allRunnersWriteIdenticalZoneDailyAndCounts() throws Exception {
    assertEquals(0, flink.exitCode, flink::toString);
    assertEquals(0, spark.exitCode, spark::toString);
    Map<String, Long> counts = RealDataCrossCheckTest.reportCounts(directReport());
    assertEquals(counts, RealDataCrossCheckTest.reportCounts(first.get("flink").report()));
    assertEquals(counts, RealDataCrossCheckTest.reportCounts(first.get("spark").report()));
    List<String> zoneDaily = first.get("direct").zoneDaily();
    assertTrue(zoneDaily.size() > 20, "the slice spans many zones: " + zoneDaily.size());
    assertEquals(zoneDaily, first.get("flink").zoneDaily());
    assertEquals(zoneDaily, first.get("spark").zoneDaily());
    String processed = first.get("direct").processed();
    assertEquals(processed, first.get("flink").processed());
    assertEquals(processed, first.get("spark").processed());
    Map<String, String> zones = first.get("direct").zones();
    assertEquals(zones, first.get("flink").zones(), "Flink: every column of every zone");
    assertEquals(zones, first.get("spark").zones(), "Spark: every column of every zone");
  }

  @Test
  void sliceMatchesDuckDbAndKeepsItsDirt() throws Exception {
    try (DuckDbReference duck = new DuckDbReference(List.of(slice), List.of(), RealFiles.ZONES)) {
      Map<String, Long> expected = duck.counts();
      assertEquals(expected, RealDataCrossCheckTest.reportCounts(directReport()));
      assertEquals(1L, expected.get("duplicates"), "an exact copy of a real trip");
      assertEquals(1L, expected.get("conflicting_duplicates"), "a copy of the same trip with another tip");
      assertEquals(1L, expected.get("rejected.unparseable"), "the truncated last line");
      assertTrue(expected.get("rejected.negative_amount") > 0, expected::toString);
    }
  }

  @Test
  void directRunMetricsAgreeWithTheReport() throws Exception {
    long duplicates = Outputs.counter(direct.result, "DeduplicateTrips", "duplicates");
    assertEquals(direct.report.duplicates(), duplicates);
    assertEquals(1L, duplicates);
    long conflicting = Outputs.counter(direct.result, "DeduplicateTrips", "conflicting_duplicates");
    assertEquals(direct.report.conflictingDuplicates(), conflicting);
    assertEquals(1L, conflicting);
  }
}
