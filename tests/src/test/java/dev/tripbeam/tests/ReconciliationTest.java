package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.fixtures.DirectRun;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.graph.BatchGraph;
import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.run.Outcome;
import dev.tripbeam.transforms.DeduplicateTrips;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run report's reconciliation can fail: its counts are made where records are (rows read, copies removed by the
 * deduplication itself, rejected records, and the processed zone's rows from the footers of its files), so a step
 * that loses one distinct trip breaks
 * {@code read = valid + duplicates + rejected}, the run exits 1 and publishes nothing. The same input with the real
 * steps reconciles, with duplicates equal to the copies the input holds (counted here from the raw file).
 */
class ReconciliationTest {
  @TempDir Path tmp;

  /**
   * The first 400 rows of the bundled app sample (the DirectRunner is slow) and exact copies of rows 1, 2 and 3: a
   * JSON lines file in {@code dir}.
   */
  private static Path appSlice(Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(RealFiles.APP_JSONL)), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null && lines.size() < 400; line = r.readLine()) {
        lines.add(line);
      }
    }
    lines.addAll(lines.subList(0, 3));
    return Files.write(dir.resolve("app-slice.jsonl"), lines);
  }

  /** One trip id the good run wrote to the processed zone. */
  private static String aProcessedTrip(Path output) throws Exception {
    return Outputs.query(
            "select min(trip_id) from read_parquet('" + output + "/processed/trips/*/*.parquet', "
                + "hive_partitioning = false)")
        .get(0);
  }

  private static String tripId(String line) throws Exception {
    return new ObjectMapper().readTree(line).get("trip_id").asText();
  }

  /** Deduplication that also drops the trip {@code lost}, as a buggy step would. */
  private static BatchGraph.Steps losing(String lost) {
    return () ->
        new PTransform<PCollection<CheckedTrip>, PCollection<CheckedTrip>>() {
          @Override
          public PCollection<CheckedTrip> expand(PCollection<CheckedTrip> records) {
            return records
                .apply("RealDeduplication", DeduplicateTrips.of())
                .apply(
                    "LoseOneTrip",
                    Filter.by((CheckedTrip c) -> !(c.isTrip() && c.trip().getTripId().equals(lost))));
          }
        };
  }

  @Test
  void aStepThatLosesOneDistinctTripFailsTheRunAndPublishesNothing() throws Exception {
    Path slice = appSlice(tmp);
    String input = slice.toString();
    Outcome good = DirectRun.run(input, tmp.resolve("good"));
    assertTrue(good.report.reconciled(), good.summary);
    assertEquals(0, good.exitCode());

    Outcome lossy = DirectRun.run(losing(aProcessedTrip(tmp.resolve("good"))), input, tmp.resolve("lossy"));
    assertFalse(lossy.report.reconciled(), lossy.summary);
    assertEquals(1, lossy.exitCode());
    assertEquals(good.report.read(), lossy.report.read());
    assertEquals(good.report.valid() - 1, lossy.report.valid(), "the lost trip is missing from valid");
    assertEquals(good.report.duplicates(), lossy.report.duplicates());
    assertTrue(lossy.summary.contains("reconciled  NO"), lossy.summary);
    assertTrue(lossy.summary.contains("NOT published"), lossy.summary);
    assertFalse(Files.exists(tmp.resolve("lossy/_reports")), "no report published");
    assertFalse(Files.exists(tmp.resolve("lossy/processed")), "no zone published");
    JsonNode kept = new ObjectMapper().readTree(Path.of(lossy.reportPath).toFile());
    assertFalse(kept.get("reconciled").asBoolean());
  }

  @Test
  void duplicatesAreTheCopiesTheInputHolds() throws Exception {
    Path slice = appSlice(tmp);
    // Counted from the raw file alone: rows whose trip_id occurred before (the generator's copies and the 3 added);
    // a copy whose line differs from the others of its id is conflicting (the generator adds 1.00 to the tip of
    // every second copy, which keeps the original the canonical copy).
    Map<String, Set<String>> texts = new HashMap<>();
    long copies = 0;
    for (String line : Files.readAllLines(slice)) {
      Set<String> seen = texts.computeIfAbsent(tripId(line), id -> new HashSet<>());
      copies += seen.isEmpty() ? 0 : 1;
      seen.add(line);
    }
    long conflicting = texts.values().stream().mapToLong(t -> t.size() - 1).sum();
    Outcome run = DirectRun.run(slice.toString(), tmp.resolve("out"));
    assertTrue(run.report.reconciled(), run.summary);
    assertTrue(copies - conflicting >= 3 && conflicting >= 1, "the slice holds both kinds of copies: " + copies);
    JsonNode report = new ObjectMapper().readTree(Path.of(run.reportPath).toFile());
    assertEquals(copies - conflicting, report.at("/counts/duplicates").asLong(), report::toString);
    assertEquals(conflicting, report.at("/counts/conflicting_duplicates").asLong(), report::toString);
    assertEquals(conflicting, report.at("/counts/rejected/conflicting_duplicate").asLong(), report::toString);
  }
}
