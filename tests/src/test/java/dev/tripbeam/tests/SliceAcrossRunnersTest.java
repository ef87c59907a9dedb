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
import java.util.stream.Stream;
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

  @BeforeAll
  void runAllRunners() throws Exception {
    slice = RealFiles.yellowSlice(tmp);

    direct = DirectRun.run(slice.toString(), tmp.resolve("direct"));
    flink = ForkedRun.main("flink", tmp.resolve("flink"), "--input=" + slice, "--output=" + tmp.resolve("flink"));
    spark = ForkedRun.main("spark", tmp.resolve("spark"), "--input=" + slice, "--output=" + tmp.resolve("spark"));

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
    for (String runner : List.of("direct", "flink", "spark")) {
      copyTree(tmp.resolve(runner), tmp.resolve(runner + "-later"));
    }
    directLater = DirectRun.run(both, tmp.resolve("direct-later"), "--incremental=true", "--runId=later");
    flinkLater =
        ForkedRun.main("flink", tmp.resolve("flink-later"), "--input=" + both, "--output=" + tmp.resolve("flink-later"),
            "--incremental=true", "--runId=later");
    sparkLater =
        ForkedRun.main("spark", tmp.resolve("spark-later"), "--input=" + both, "--output=" + tmp.resolve("spark-later"),
            "--incremental=true", "--runId=later");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> tree = Files.walk(from)) {
      for (Path p : tree.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
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
        Long.parseLong(Outputs.query("select count(*) from read_parquet('" + tmp.resolve("direct")
            + "/processed/trips/*/*.parquet') where pickup_date::varchar in ('" + String.join("','", lateDates) + "')")
            .get(0)),
        report.get("trips_processed_before").asLong(),
        "the processed trips of the late file's dates, read back");
    assertEquals(counts, RealDataCrossCheckTest.reportCounts(laterReport(flinkLater.output)));
    assertEquals(counts, RealDataCrossCheckTest.reportCounts(laterReport(sparkLater.output)));
    Map<String, String> zones = Outputs.zones(tmp.resolve("direct-later"));
    assertEquals(zones, Outputs.zones(flinkLater.output), "Flink: every column of every zone");
    assertEquals(zones, Outputs.zones(sparkLater.output), "Spark: every column of every zone");
    Outcome full = DirectRun.run(slice + "," + late, tmp.resolve("full"));
    assertEquals(Outputs.zones(tmp.resolve("full")), zones, "the incremental lake equals one full run");
    assertEquals(
        full.report.conflictingDuplicates(),
        direct.report.conflictingDuplicates() + directLater.report.conflictingDuplicates());
  }

  private JsonNode directReport() throws Exception {
    return new ObjectMapper().readTree(Path.of(direct.reportPath).toFile());
  }

  @Test
  void allRunnersWriteIdenticalZoneDailyAndCounts() throws Exception {
    assertEquals(0, flink.exitCode, flink::toString);
    assertEquals(0, spark.exitCode, spark::toString);
    Map<String, Long> counts = RealDataCrossCheckTest.reportCounts(directReport());
    assertEquals(counts, RealDataCrossCheckTest.reportCounts(flink.report()));
    assertEquals(counts, RealDataCrossCheckTest.reportCounts(spark.report()));
    List<String> zoneDaily = Outputs.zoneDaily(tmp.resolve("direct"));
    assertTrue(zoneDaily.size() > 20, "the slice spans many zones: " + zoneDaily.size());
    assertEquals(zoneDaily, Outputs.zoneDaily(flink.output));
    assertEquals(zoneDaily, Outputs.zoneDaily(spark.output));
    String processed = Outputs.processedFingerprint(tmp.resolve("direct"));
    assertEquals(processed, Outputs.processedFingerprint(flink.output));
    assertEquals(processed, Outputs.processedFingerprint(spark.output));
    Map<String, String> zones = Outputs.zones(tmp.resolve("direct"));
    assertEquals(zones, Outputs.zones(flink.output), "Flink: every column of every zone");
    assertEquals(zones, Outputs.zones(spark.output), "Spark: every column of every zone");
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
