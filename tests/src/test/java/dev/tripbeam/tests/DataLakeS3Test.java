package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.lake.IcebergLake;
import dev.tripbeam.lake.LakeLayout;
import dev.tripbeam.lake.RawFile;
import dev.tripbeam.lake.RawFilesLedger;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Generated;
import dev.tripbeam.fixtures.LocalS3;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.oracles.DuckDbReference;
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
 * chain), the job on embedded Flink in its own JVM: raw zone → curated zones, incremental runs (new dates, late
 * files touching old dates, conflicting copies, a file across a month boundary), bad objects, a full refresh run
 * twice, and a reprocess after a raw file was replaced. The incremental lake must end equal, every column of every
 * zone, to one full run over the same objects; the reprocessed one equal to a full run over the objects as they are.
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
    // Each lake's tables in a SQLite catalog of its own; old snapshots expire at once, so that a lake's folders hold
    // exactly its tables' current files (what the folder comparisons below read).
    String lakeName = List.of(args).stream().filter(a -> a.startsWith("--output=")).findFirst().orElseThrow()
        .replaceAll(".*/", "");
    all.add("--catalog=" + catalog(lakeName));
    all.add("--expireSnapshotsDays=0");
    ForkedRun run = ForkedRun.run("flink", tmp.resolve("runs").resolve(name), s3.credentialFlags(), all.toArray(new String[0]));
    runs.add(run);
    return run;
  }

  private static String catalog(String lakeName) {
    return "jdbc:sqlite:" + tmp.resolve("catalog-" + lakeName + ".db");
  }

  /** The raw files the lake's ledger records, read through its catalog. */
  private List<RawFile> ledger(String lakeName) throws Exception {
    org.apache.beam.sdk.io.FileSystems.setDefaultPipelineOptions(s3.beamOptions());
    try (IcebergLake tables =
        IcebergLake.open(catalog(lakeName), "tripbeam", new LakeLayout("s3://" + BUCKET + "/" + lakeName))) {
      return RawFilesLedger.read(tables.existingLedger());
    }
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
    String[] appSettings = {"--users=150", "--trips=3000", "--days=2", "--seed=11"};
    Path generated = Generated.appTrips(tmp.resolve("app"), "parquet", appSettings);
    Path generatedJson = Generated.appTrips(tmp.resolve("app-json"), "jsonl", appSettings);
    // Split one generated file by trip id, so that users' days (and journeys) have trips in both halves; its JSON
    // lines twin split the same way is what the DuckDB reference reads.
    Path app0 = tmp.resolve("app").resolve("half-0.parquet");
    Path app1 = tmp.resolve("app").resolve("half-1.parquet");
    for (int half = 0; half < 2; half++) {
      Outputs.execute(
          "copy (select * from read_parquet('" + generated + "') where hash(trip_id) % 2 = " + half + ") to '"
              + (half == 0 ? app0 : app1) + "' (format parquet)");
    }
    List<Path> appJson = splitLikeParquet(generatedJson, app0);
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
    List<RawFile> ledger1 = ledger("lake");
    assertEquals(7, ledger1.size());
    for (RawFile f : ledger1) {
      assertFalse(f.checksum().isBlank(), "keyed by ETag: " + f);
    }
    assertTrue(s3.keys(BUCKET, "lake/_temporary/").isEmpty(), "staging is removed after publishing");
    assertTrue(s3.keys(BUCKET, "lake/_pending/").isEmpty());

    // Run 2: nothing new, nothing changes.
    Map<String, String> before = etags("lake/");
    ForkedRun run2 = job("run2", "--input=s3://" + BUCKET + "/raw/", "--output=s3://" + BUCKET + "/lake", "--incremental=true", "--runId=run2");
    assertEquals(0, run2.exitCode, run2::toString);
    assertTrue(run2.stdout.contains("no new raw file") && run2.stdout.contains("7 already processed"), run2::toString);
    assertEquals(before, etags("lake/"), "a run with no new file changes no object");

    // Run 3: two new objects; only they are read, with the processed trips of the dates they touch: trips seen in run
    // 1 are duplicates, and the partitions of those dates alone are recomputed.
    batch2.forEach((name, bytes) -> s3.put(BUCKET, "raw/" + name, bytes));
    ForkedRun run3 = job("run3", "--input=s3://" + BUCKET + "/raw/", "--output=s3://" + BUCKET + "/lake", "--incremental=true", "--runId=run3");
    assertEquals(0, run3.exitCode, run3::toString);
    JsonNode report3 = json("lake/_reports/run-run3.json");
    assertEquals(2, report3.get("inputs").size(), report3::toString);
    assertEquals(7, report3.get("inputs_already_processed").asInt());
    List<Path> csv1 = List.of(local("yellow-part1.csv", part1), local("yellow-part2.csv", part2));
    List<Path> csv2 = List.of(local("yellow-part3.csv", part3));
    List<Path> green = List.of(RealFiles.GREEN_PARQUET);
    Map<String, Long> counts1 = duckCounts(csv1, green, appJson.subList(0, 1));
    Map<String, Long> counts3 = duckCounts(concat(csv1, csv2), green, appJson);
    assertEquals(DuckDbReference.minus(counts3, counts1), RealDataCrossCheckTest.reportCounts(report3),
        "run 3 counts its new files, rows 14001-16000 (processed in run 1) as duplicates");
    assertTrue(report3.at("/counts/duplicates").asLong() >= 1900, report3::toString);
    List<String> touched3 = new ArrayList<>();
    report3.get("pickup_dates_recomputed").forEach(d -> touched3.add(d.asText()));
    assertEquals(pickupDates(csv2, List.of(), appJson.subList(1, 2)), touched3, "the dates of the new files' trips");
    assertTrue(touched3.stream().noneMatch(d -> d.startsWith("2023-12")), "green's December is not touched: " + touched3);
    assertEquals(
        Long.parseLong(
            Outputs.query(
                    "select count(*) from read_parquet('" + lake1 + "/processed/trips/*/*.parquet') where "
                        + "pickup_date::varchar in ('" + String.join("','", touched3) + "')")
                .get(0)),
        report3.get("trips_processed_before").asLong(),
        "the processed trips of the touched dates, and only those, are read back");
    assertTrue(report3.get("trips_processed_before").asLong() < report1.at("/counts/valid").asLong());
    assertPartitionsReplaced(before, touched3);

    // Run 4, late and conflicting data: copies of run 1's trips on their old dates, half of them with another tip
    // (the lower tip makes the new copy the canonical one, so the copy run 1 kept becomes the rejected one), and a
    // generated file whose trips span a month boundary (2024-03-31 to 2024-04-01).
    Map<String, byte[]> batch3 = new LinkedHashMap<>();
    List<String> late = new ArrayList<>();
    for (int i = 101; i <= 700; i++) {
      String[] f = yellow.get(i).split(",", -1);
      if (i % 2 == 0 && !f[13].equals("0")) {
        f[13] = "0";
      }
      late.add(String.join(",", f));
    }
    batch3.put("yellow-late.csv", csv(header, late));
    String[] boundarySettings = {"--users=100", "--trips=1500", "--days=2", "--seed=12", "--start=2024-03-31"};
    Path boundary = Generated.appTrips(tmp.resolve("boundary"), "parquet", boundarySettings);
    Path boundaryJson = Generated.appTrips(tmp.resolve("boundary-json"), "jsonl", boundarySettings);
    batch3.put("app-boundary.parquet", Files.readAllBytes(boundary));
    Map<String, String> before4 = etags("lake/");
    batch3.forEach((name, bytes) -> s3.put(BUCKET, "raw/" + name, bytes));
    ForkedRun run4 = job("run4", "--input=s3://" + BUCKET + "/raw/", "--output=s3://" + BUCKET + "/lake", "--incremental=true", "--runId=run4");
    assertEquals(0, run4.exitCode, run4::toString);
    JsonNode report4 = json("lake/_reports/run-run4.json");
    assertTrue(report4.get("reconciled").asBoolean(), report4::toString);
    List<String> touched4 = new ArrayList<>();
    report4.get("pickup_dates_recomputed").forEach(d -> touched4.add(d.asText()));
    List<Path> csv3 = List.of(local("yellow-late.csv", csv(header, late)));
    assertEquals(pickupDates(csv3, List.of(), List.of(boundaryJson)), touched4, "the dates of the new files' trips");
    assertTrue(touched4.containsAll(List.of("2021-01-01", "2024-03-31", "2024-04-01")), touched4::toString);
    List<Path> appAll = concat(appJson, List.of(boundaryJson));
    Map<String, Long> counts4 = duckCounts(concat(concat(csv1, csv2), csv3), green, appAll);
    assertEquals(DuckDbReference.minus(counts4, counts3), RealDataCrossCheckTest.reportCounts(report4),
        "run 4: late copies (tips changed or not) and the boundary file");
    assertTrue(report4.at("/counts/conflicting_duplicates").asLong() > 100, "tips changed on late copies: " + report4);
    assertTrue(report4.at("/counts/duplicates").asLong() > 100, "unchanged late copies: " + report4);
    assertPartitionsReplaced(before4, touched4);

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
    assertTrue(fullKeys.keySet().stream().filter(k -> (k.contains("/processed/") || k.contains("/aggregated/") || k.contains("/rejected/")) && !k.contains("/metadata/")).allMatch(k -> k.contains("/full2-")), "only the second run's files remain: " + fullKeys.keySet());
    assertEquals(
        json("full/_reports/run-full2.json").get("inputs").size(), ledger("full").size(),
        "the second full run's ledger replaced the first's");
    assertZonesEqual(fullOnce, fullTwice);

    Path lake = tmp.resolve("lake-final");
    s3.download(BUCKET, "lake/", lake);
    assertZonesEqual(fullTwice, lake);
    JsonNode full = new ObjectMapper().readTree(s3.get(BUCKET, "full/_reports/run-full2.json"));
    for (String count : List.of("read", "valid", "duplicates", "conflicting_duplicates", "rejected_total")) {
      assertEquals(
          full.at("/counts/" + count).asLong(),
          report1.at("/counts/" + count).asLong() + report3.at("/counts/" + count).asLong()
              + report4.at("/counts/" + count).asLong(),
          count + ": the incremental reports add up to the full run's");
    }
    Map<String, Long> fullExpected = new java.util.TreeMap<>(counts4);
    fullExpected.merge("read", 3L, Long::sum);
    fullExpected.put("rejected.unreadable_file", 3L);
    assertEquals(fullExpected, RealDataCrossCheckTest.reportCounts(full), "the full run: DuckDB's counts, 3 bad objects");

    // Run 5, reprocessing: the operator replaces the late file (now plain copies, no tip changed) and rebuilds the
    // dates it holds, as the manifest records them, from every raw file that holds them.
    List<String> lateDates = new ArrayList<>();
    for (RawFile f : ledger("lake")) {
      if (f.path().endsWith("/yellow-late.csv")) {
        f.dates().stream().filter(d -> !lateDates.contains(d)).forEach(lateDates::add);
      }
    }
    assertTrue(lateDates.contains("2021-01-01"), lateDates::toString);
    s3.put(BUCKET, "raw/yellow-late.csv", csv(header, yellow.subList(101, 701)));
    Map<String, String> before5 = etags("lake/");
    ForkedRun run5 =
        job("run5", "--output=s3://" + BUCKET + "/lake", "--reprocess=" + String.join(",", lateDates), "--runId=run5");
    assertEquals(0, run5.exitCode, run5::toString);
    JsonNode report5 = json("lake/_reports/run-run5.json");
    assertEquals("reprocess", report5.get("mode").asText());
    assertTrue(report5.get("reconciled").asBoolean(), report5::toString);
    List<String> rebuilt = new ArrayList<>();
    report5.get("pickup_dates_recomputed").forEach(d -> rebuilt.add(d.asText()));
    assertEquals(lateDates, rebuilt);
    assertEquals(0, report5.at("/counts/conflicting_duplicates").asLong(), "the replaced file changes no tip");
    Map<String, List<String>> datesByFile = new TreeMap<>();
    List<Path> csvNow = concat(concat(csv1, csv2), List.of(local("yellow-late.csv", csv(header, yellow.subList(101, 701)))));
    for (Path f : csvNow) {
      datesByFile.put(f.getFileName().toString(), pickupDates(List.of(f), List.of(), List.of()));
    }
    datesByFile.put("green", pickupDates(List.of(), green, List.of()));
    for (Path f : appAll) {
      datesByFile.put(f.getFileName().toString(), pickupDates(List.of(), List.of(), List.of(f)));
    }
    long holding = datesByFile.values().stream().filter(d -> d.stream().anyMatch(lateDates::contains)).count();
    assertEquals(holding, report5.get("inputs").size(), "every raw file holding those dates is read: " + datesByFile);
    assertPartitionsReplaced(before5, rebuilt);
    ForkedRun run6 = job("run6", "--input=s3://" + BUCKET + "/raw/", "--output=s3://" + BUCKET + "/lake", "--incremental=true", "--runId=run6");
    assertEquals(0, run6.exitCode, run6::toString);
    assertTrue(run6.stdout.contains("no new raw file"), "the replaced file's new version is recorded: " + run6);

    // The rebuilt lake equals a full run over the raw files as they are now, in the processed and aggregated zones
    // (the rejected zone logs what each run rejected, the replaced file's old copies included).
    ForkedRun full3 = job("full3", "--input=s3://" + BUCKET + "/raw/", "--output=s3://" + BUCKET + "/full-now", "--runId=full3");
    assertEquals(0, full3.exitCode, full3::toString);
    Path fullNow = tmp.resolve("full-now");
    s3.download(BUCKET, "full-now/", fullNow);
    Path rebuiltLake = tmp.resolve("lake-rebuilt");
    s3.download(BUCKET, "lake/", rebuiltLake);
    Map<String, String> expectedZones = Outputs.zones(fullNow);
    Map<String, String> actualZones = Outputs.zones(rebuiltLake);
    expectedZones.remove("rejected");
    actualZones.remove("rejected");
    assertEquals(expectedZones, actualZones, "every column of the processed and aggregated zones");
    Map<String, String> beforeZones = Outputs.zones(lake);
    beforeZones.remove("rejected");
    assertTrue(!expectedZones.equals(beforeZones), "the replaced file changed the lake");
    try (DuckDbReference duck = new DuckDbReference(concat(concat(csv1, csv2), csv3), green, appAll, RealFiles.ZONES)) {
      RealDataCrossCheckTest.assertUserDailyEquals(duck.userDaily(), lake);
      RealDataCrossCheckTest.assertZoneDailyEquals(duck.zoneDaily(), lake);
    }

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
    assertEquals(Outputs.zones(expected), Outputs.zones(actual), "every column of every zone");
  }

  /**
   * Every object of a partitioned zone is as it was unless its partition's date was recomputed, and then it is
   * gone (replaced by the run's own files); rejected records are only added.
   */
  private void assertPartitionsReplaced(Map<String, String> before, List<String> touched) {
    Map<String, String> after = etags("lake/");
    for (Map.Entry<String, String> object : before.entrySet()) {
      String key = object.getKey();
      if (!key.startsWith("lake/processed/") && !key.startsWith("lake/aggregated/")
          && !key.startsWith("lake/rejected/") || key.contains("/metadata/")) {
        continue;
      }
      int at = key.indexOf("/pickup_date=");
      String date = at < 0 ? null : key.substring(at + "/pickup_date=".length(), at + "/pickup_date=".length() + 10);
      if (date != null && touched.contains(date)) {
        assertFalse(after.containsKey(key), key + " is replaced by the recomputed partition");
      } else {
        assertEquals(object.getValue(), after.get(key), key + " is kept as it was");
      }
    }
  }

  /** A local copy of a raw object's bytes, for the DuckDB reference. */
  private static Path local(String name, byte[] bytes) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("raw-local").resolve(Long.toString(System.nanoTime())));
    return Files.write(dir.resolve(name), bytes);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Map<String, Long> duckCounts(List<Path> csv, List<Path> parquet, List<Path> json) throws Exception {
    try (DuckDbReference duck = new DuckDbReference(csv, parquet, json, RealFiles.ZONES)) {
      return duck.counts();
    }
  }

  private static List<String> pickupDates(List<Path> csv, List<Path> parquet, List<Path> json) throws Exception {
    try (DuckDbReference duck = new DuckDbReference(csv, parquet, json, RealFiles.ZONES)) {
      return duck.pickupDates();
    }
  }

  /**
   * The JSON lines twin of a generated file split as the Parquet file was: the lines of the trip ids of {@code half0}
   * (lines without a trip id where {@code half0} has its rows without one), then the others.
   */
  private static List<Path> splitLikeParquet(Path jsonl, Path half0) throws Exception {
    java.util.Set<String> ids = new java.util.HashSet<>(
        Outputs.query("select coalesce(trip_id, '<none>') from read_parquet('" + half0 + "')"));
    java.util.regex.Pattern tripId = java.util.regex.Pattern.compile("\"trip_id\":\"([^\"]+)\"");
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (String line : Files.readAllLines(jsonl)) {
      java.util.regex.Matcher m = tripId.matcher(line);
      (ids.contains(m.find() ? m.group(1) : "<none>") ? first : second).add(line);
    }
    Path dir = jsonl.getParent();
    return List.of(Files.write(dir.resolve("half-0.jsonl"), first), Files.write(dir.resolve("half-1.jsonl"), second));
  }

  private static byte[] csv(String header, List<String> rows) {
    return (header + "\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
