package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.fixtures.DirectRun;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Generated;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.oracles.DuckDbReference;
import dev.tripbeam.oracles.ReferenceModel;
import dev.tripbeam.run.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * user_daily and anomalies on a small generated app-format input (templates: real trips of the three busiest routes
 * of the bundled yellow file, so that routes reach the 30-trip minimum), on Direct, embedded Flink and Spark local:
 * each must equal the plain-Java reference model exactly, and DuckDB SQL over the same trips written as JSON lines
 * (the generator's twin of the Parquet file), which shares no code with tripbeam.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerUserOutputsTest {
  @TempDir static Path tmp;
  private ReferenceModel model;
  private Path jsonTwin;
  private long[] generated;
  private Outcome direct;
  private ForkedRun flink;
  private ForkedRun spark;

  @BeforeAll
  void generateAndRun() throws Exception {
    List<String> lines = RealFiles.yellowLines();
    Map<String, Integer> routes = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f.length == 18) {
        routes.merge(f[7] + "," + f[8], 1, Integer::sum);
      }
    }
    List<String> busiest =
        routes.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
            .map(Map.Entry::getKey).toList();
    List<String> templates = new ArrayList<>(List.of(lines.get(0)));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f.length == 18 && busiest.contains(f[7] + "," + f[8])) {
        templates.add(line);
      }
    }
    Path templateFile = Files.write(tmp.resolve("templates.csv"), templates);
    String[] settings = {
      "--users=40", "--trips=600", "--days=2", "--seed=5", "--anomalyRate=0.02", "--templates=" + templateFile
    };
    Path app = tmp.resolve("app");
    generated = Generated.generate(app, "parquet", settings);
    jsonTwin = tmp.resolve("app-json");
    Generated.generate(jsonTwin, "jsonl", settings);
    model = new ReferenceModel(jsonFiles(), RealFiles.ZONES);
    String input = app.resolve("*.parquet").toString();
    direct = DirectRun.run(input, tmp.resolve("direct"));
    flink = ForkedRun.main("flink", tmp.resolve("flink"), "--input=" + input, "--output=" + tmp.resolve("flink"));
    spark = ForkedRun.main("spark", tmp.resolve("spark"), "--input=" + input, "--output=" + tmp.resolve("spark"));
  }

  @Test
  void userDailyEqualsTheReferenceModelOnEveryRunner() throws Exception {
    List<String> expected = model.userDaily();
    assertTrue(expected.size() >= 40, "every user has days: " + expected.size());
    assertTrue(
        expected.stream().anyMatch(r -> Long.parseLong(r.split("\\|")[7]) < Long.parseLong(r.split("\\|")[2])),
        "some days chain trips into fewer journeys");
    assertEquals(0, flink.exitCode, flink::toString);
    assertEquals(0, spark.exitCode, spark::toString);
    assertEquals(expected, Outputs.userDaily(tmp.resolve("direct")));
    assertEquals(expected, Outputs.userDaily(flink.output));
    assertEquals(expected, Outputs.userDaily(spark.output));
  }

  @Test
  void anomaliesEqualTheReferenceModelOnEveryRunner() throws Exception {
    List<String> expected = model.anomalies();
    assertTrue(!expected.isEmpty(), "the generated input has fare outliers");
    assertEquals(expected, Outputs.anomalies(tmp.resolve("direct")));
    assertEquals(expected, Outputs.anomalies(flink.output));
    assertEquals(expected, Outputs.anomalies(spark.output));
  }

  private List<Path> jsonFiles() throws Exception {
    try (var list = Files.list(jsonTwin)) {
      return list.sorted(Comparator.naturalOrder()).toList();
    }
  }

  @Test
  void userDailyAnomaliesAndCountsEqualDuckDbOverTheJsonTwin() throws Exception {
    try (DuckDbReference duck = new DuckDbReference(List.of(), List.of(), jsonFiles(), RealFiles.ZONES)) {
      assertEquals(duck.counts(), RealDataCrossCheckTest.reportCounts(flink.report()), "counts");
      RealDataCrossCheckTest.assertUserDailyEquals(duck.userDaily(), flink.output);
      List<String> anomalies = duck.anomalies();
      assertTrue(!anomalies.isEmpty(), "the generated input has fare outliers");
      RealDataCrossCheckTest.assertAnomaliesEqual(anomalies, flink.output);
      RealDataCrossCheckTest.assertAnomaliesEqual(anomalies, spark.output);
    }
  }

  @Test
  void generatedDirtIsAccountedFor() {
    assertEquals(generated[0], direct.report.read());
    assertEquals(
        generated[2],
        direct.report.duplicates() + direct.report.conflictingDuplicates(),
        "duplicate copies of valid trips, exact or with another tip");
    assertTrue(direct.report.conflictingDuplicates() > 0, "the generator changes the tip of every second copy");
    assertEquals(model.duplicates, direct.report.duplicates(), "exact copies, as the reference model counts them");
    assertEquals(model.conflicting, direct.report.conflictingDuplicates(), "conflicting copies, as the model counts");
    assertEquals(model.unique.size(), direct.report.valid());
    assertEquals(model.read, direct.report.read(), "rows read, as the model counts them");
    assertEquals(model.rejected, direct.report.rejected(), "rejected per reason, as the model counts them");
    assertTrue(direct.report.rejectedTotal() >= generated[1], direct.report.rejected()::toString);
    assertTrue(direct.report.reconciled());
  }
}
