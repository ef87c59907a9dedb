package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.pipeline.generate.GenerateTrips;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake on a real S3 server (S3Proxy on 127.0.0.1, request signing on, credentials through the AWS provider
 * chain), the job on embedded Flink in its own JVM: raw zone → curated zones, incremental runs, bad objects, and a
 * full refresh run twice. The incremental lake must end equal, zone by zone, to one full run over the same objects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataLakeS3Test {
  private static final String BUCKET = "tripbeam-lake";
  @TempDir static Path tmp;
  private LocalS3 s3;
  private final List<ForkedRun> runs = new ArrayList<>();

  @BeforeAll
  void startS3() throws Exception {
    s3 = LocalS3.start(tmp.resolve("s3"));
    s3.createBucket(BUCKET);
  }

  @AfterAll
  void stopS3() throws Exception {
    s3.close();
  }

  private ForkedRun job(String name, String... args) throws Exception {
    List<String> all = new ArrayList<>(s3.pipelineOptions());
    all.addAll(List.of(args));
    ForkedRun run = ForkedRun.run("flink", tmp.resolve("runs").resolve(name), s3.credentialFlags(), all.toArray(new String[0]));
    runs.add(run);
    return run;
  }

  private JsonNode json(String key) throws Exception {
    return new ObjectMapper().readTree(s3.get(BUCKET, key));
  }

  private Map<String, String> etags(String prefix) {
    Map<String, String> etags = new TreeMap<>();
    for (S3Object o : s3.client().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents()) {
      if (!o.key().endsWith("/")) {
        etags.put(o.key(), o.eTag());
      }
    }
    return etags;
  }

  private static List<String> reports(Map<String, String> keys) {
    return keys.keySet().stream().filter(k -> k.contains("/_reports/") && k.endsWith(".json")).toList();
  }

  @Test
  void incrementalRunsOnS3EndEqualToOneFullRun() throws Exception {
    List<String> yellow = RealFiles.yellowLines();
    String header = yellow.get(0);
    byte[] part1 = csv(header, yellow.subList(1, 8001));
    byte[] part2 = csv(header, yellow.subList(8001, 16001));
    byte[] part3 = csv(header, yellow.subList(14001, yellow.size()));
    Path app = tmp.resolve("app");
    GenerateTrips.generate(
        GenerateTrips.Settings.parse(
            new String[] {
              "--users=150", "--trips=3000", "--days=2", "--files=1", "--seed=11", "--output=" + app,
              "--templates=" + RealFiles.YELLOW_CSV
            }));
    // Split one generated file by trip id, so that users' days (and journeys) have trips in both halves.
    Path generated = app.resolve(GenerateTrips.fileName(0, "parquet"));
    Path app0 = app.resolve("half-0.parquet");
    Path app1 = app.resolve("half-1.parquet");
    for (int half = 0; half < 2; half++) {
      Outputs.execute(
          "copy (select * from read_parquet('" + generated + "') where hash(trip_id) % 2 = " + half + ") to '"
              + (half == 0 ? app0 : app1) + "' (format parquet)");
    }
    long sharedUserDays =
        Long.parseLong(
            Outputs.query(
                    "select count(*) from (select user_id, pickup_ts::date from read_parquet('" + app0
                        + "') intersect select user_id, pickup_ts::date from read_parquet('" + app1 + "'))")
                .get(0));
    assertTrue(sharedUserDays > 50, "user-days with trips in both halves, recomputed by run 3: " + sharedUserDays);

    Map<String, byte[]> batch1 = new LinkedHashMap<>();
    batch1.put("yellow-part1.csv", part1);
    batch1.put("yellow-part2.csv", part2);
    batch1.put("green_tripdata_2023-12.parquet", Files.readAllBytes(RealFiles.GREEN_PARQUET));
    batch1.put("app-0.parquet", Files.readAllBytes(app0));
    batch1.put("empty.csv", new byte[0]);
    batch1.put("notes.txt", "these are not trips\n".getBytes(StandardCharsets.UTF_8));
    batch1.put("zero.parquet", new byte[0]);
    Map<String, byte[]> batch2 = new LinkedHashMap<>();
    batch2.put("yellow-part3.csv", part3);
    batch2.put("app-1.parquet", Files.readAllBytes(app1));
    batch1.forEach((name, bytes) -> s3.put(BUCKET, "raw/" + name, bytes));

    // Run 1: every raw object is new; the three bad objects end rejected and the run goes on.
    ForkedRun run1 = job("run1", "--input=s3://" + BUCKET + "/raw/", "--output=s3://" + BUCKET + "/lake", "--incremental=true", "--runId=run1");
    assertEquals(0, run1.exitCode, run1::toString);
    JsonNode report1 = json("lake/_reports/run-run1.json");
    assertEquals(7, report1.get("inputs").size());
    assertEquals(3, report1.at("/counts/rejected/unreadable_file").asLong(), report1::toString);
    assertTrue(report1.get("reconciled").asBoolean());
    List<String> rejectedFiles = List.of("empty.csv", "notes.txt", "zero.parquet");
    Path lake1 = tmp.resolve("lake1");
    s3.download(BUCKET, "lake/", lake1);
    List<String> unreadable =
        Outputs.query(
            "select regexp_replace(source_file, '.*/', ''), detail from read_parquet('" + lake1
                + "/rejected/*.parquet') where reason = 'unreadable_file' order by 1");
    assertEquals(3, unreadable.size(), unreadable::toString);
    for (int i = 0; i < 3; i++) {
      assertTrue(unreadable.get(i).startsWith(rejectedFiles.get(i) + "|"), unreadable::toString);
      assertFalse(unreadable.get(i).endsWith("|"), "a reason is given: " + unreadable.get(i));
    }
    JsonNode manifest1 = json("lake/_manifests/runs/run1.json");
    assertEquals(7, manifest1.get("raw_files").size());
    for (JsonNode f : manifest1.get("raw_files")) {
      assertFalse(f.get("checksum").asText().isBlank(), "keyed by ETag: " + f);
    }
    assertTrue(s3.keys(BUCKET, "lake/_temporary/").isEmpty(), "staging is removed after publishing");
    assertTrue(s3.keys(BUCKET, "lake/_manifests/pending/").isEmpty());

    // Run 2: nothing new, nothing changes.
    Map<String, String> before = etags("lake/");
    ForkedRun run2 = job("run2", "--input=s3://" + BUCKET + "/raw/", "--output=s3://" + BUCKET + "/lake", "--incremental=true", "--runId=run2");
    assertEquals(0, run2.exitCode, run2::toString);
    assertTrue(run2.stdout.contains("no new raw file") && run2.stdout.contains("7 already processed"), run2::toString);
    assertEquals(before, etags("lake/"), "a run with no new file changes no object");

    // Run 3: two new objects; only they are read, trips seen in run 1 are duplicates, aggregates are recomputed.
    batch2.forEach((name, bytes) -> s3.put(BUCKET, "raw/" + name, bytes));
    ForkedRun run3 = job("run3", "--input=s3://" + BUCKET + "/raw/", "--output=s3://" + BUCKET + "/lake", "--incremental=true", "--runId=run3");
    assertEquals(0, run3.exitCode, run3::toString);
    JsonNode report3 = json("lake/_reports/run-run3.json");
    assertEquals(2, report3.get("inputs").size(), report3::toString);
    assertEquals(7, report3.get("inputs_already_processed").asInt());
    assertTrue(report3.at("/counts/duplicates").asLong() >= 1900, "rows 14001-16000 were processed in run 1: " + report3);
    assertEquals(report1.at("/counts/valid").asLong(), report3.get("trips_processed_before").asLong());
    for (String key : before.keySet()) {
      if (key.startsWith("lake/processed/") || key.startsWith("lake/rejected/")) {
        assertEquals(before.get(key), etags(key).get(key), key + " is kept as it was");
      } else if (key.startsWith("lake/aggregated/")) {
        assertFalse(etags(key).containsKey(key), key + " is replaced by the recomputed aggregates");
      }
    }

    // The same objects in one full run, twice into the same output: the second run replaces, not doubles.
    ForkedRun full1 = job("full1", "--input=s3://" + BUCKET + "/raw/", "--output=s3://" + BUCKET + "/full", "--runId=full1");
    assertEquals(0, full1.exitCode, full1::toString);
    Path fullOnce = tmp.resolve("full-once");
    s3.download(BUCKET, "full/", fullOnce);
    ForkedRun full2 = job("full2", "--input=s3://" + BUCKET + "/raw/", "--output=s3://" + BUCKET + "/full", "--runId=full2");
    assertEquals(0, full2.exitCode, full2::toString);
    Path fullTwice = tmp.resolve("full-twice");
    s3.download(BUCKET, "full/", fullTwice);
    Map<String, String> fullKeys = etags("full/");
    assertEquals(List.of("full/_reports/run-full1.json", "full/_reports/run-full2.json"), reports(fullKeys));
    assertTrue(fullKeys.keySet().stream().filter(k -> k.contains("/processed/") || k.contains("/aggregated/") || k.contains("/rejected/")).allMatch(k -> k.contains("/full2-")), "only the second run's files remain: " + fullKeys.keySet());
    assertEquals(List.of("full/_manifests/runs/full2.json"), fullKeys.keySet().stream().filter(k -> k.contains("/_manifests/")).toList());
    assertZonesEqual(fullOnce, fullTwice);

    Path lake = tmp.resolve("lake-final");
    s3.download(BUCKET, "lake/", lake);
    assertZonesEqual(fullTwice, lake);
    JsonNode full = new ObjectMapper().readTree(s3.get(BUCKET, "full/_reports/run-full2.json"));
    assertEquals(full.at("/counts/valid").asLong(), report1.at("/counts/valid").asLong() + report3.at("/counts/valid").asLong());
    assertEquals(full.at("/counts/read").asLong(), report1.at("/counts/read").asLong() + report3.at("/counts/read").asLong());
    assertEquals(
        full.at("/counts/duplicates").asLong(),
        report1.at("/counts/duplicates").asLong() + report3.at("/counts/duplicates").asLong());
    assertTrue(Outputs.userDaily(lake).size() > 100, "user_daily has the app trips");
    assertTrue(Outputs.zoneDaily(lake).size() > 100, "zone_daily has the TLC and app trips");

    for (ForkedRun run : runs) {
      assertFalse(run.stdout.contains(LocalS3.SECRET_KEY) || run.stderr.contains(LocalS3.SECRET_KEY), "secret printed");
    }
    for (String key : s3.keys(BUCKET, "")) {
      if (key.endsWith(".json") || key.endsWith(".tsv")) {
        assertFalse(new String(s3.get(BUCKET, key), StandardCharsets.UTF_8).contains(LocalS3.SECRET_KEY), key);
      }
    }
  }

  private static void assertZonesEqual(Path expected, Path actual) throws Exception {
    assertEquals(Outputs.zoneDaily(expected), Outputs.zoneDaily(actual), "zone_daily");
    assertEquals(Outputs.userDaily(expected), Outputs.userDaily(actual), "user_daily");
    assertEquals(Outputs.anomalies(expected), Outputs.anomalies(actual), "anomalies");
    assertEquals(Outputs.processedFingerprint(expected), Outputs.processedFingerprint(actual), "processed trips");
    assertEquals(Outputs.rejectedByReason(expected), Outputs.rejectedByReason(actual), "rejected");
  }

  private static byte[] csv(String header, List<String> rows) {
    return (header + "\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
