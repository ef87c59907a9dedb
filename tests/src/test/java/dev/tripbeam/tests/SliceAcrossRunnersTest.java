package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.pipeline.TripPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One small slice of the real yellow file (its first rows, every row of its first 3,000 with a negative amount, the truncated last
 * line, and two copies of a real trip) on Direct, embedded Flink and Spark local: the outputs must be identical.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SliceAcrossRunnersTest {
  @TempDir static Path tmp;
  private Path slice;
  private TripPipeline.Outcome direct;
  private ForkedRun flink;
  private ForkedRun spark;

  @BeforeAll
  void runAllRunners() throws Exception {
    slice = RealFiles.yellowSlice(tmp);

    direct = DirectRun.run(slice.toString(), tmp.resolve("direct"));
    flink = ForkedRun.main("flink", tmp.resolve("flink"), "--input=" + slice, "--output=" + tmp.resolve("flink"));
    spark = ForkedRun.main("spark", tmp.resolve("spark"), "--input=" + slice, "--output=" + tmp.resolve("spark"));
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
