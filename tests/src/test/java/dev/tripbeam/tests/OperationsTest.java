package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Generated;
import dev.tripbeam.fixtures.LocalS3;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.PersonalData;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.oracles.DuckDbReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees of a run on a real S3 server (s3proxy on 127.0.0.1) through embedded Flink in its own JVM, over
 * generated app lines made dirty (a truncated line and a copy with another fare per file): the report's counts equal
 * DuckDB's over the same lines; tripbeam's log lines as JSON with the run's context, and no user id, trip id or secret
 * in the console or any log file; the CloudWatch metrics file equal to the report; the run page loaded in a real headless Chromium (Debian's
 * package) showing the report's counts; and S3 refusing the credentials (403) as an error, not as an empty lake.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsTest {
  private static final String BUCKET = "ops-lake";
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  @TempDir static Path tmp;
  private LocalS3 s3;
  private final List<Path> dirtyFiles = new ArrayList<>();
  private PersonalData ids;
  private int rawFiles;
  private ForkedRun run;
  private JsonNode report;

  @BeforeAll
  void start() throws Exception {
    s3 = LocalS3.start(tmp.resolve("s3"));
    s3.createBucket(BUCKET);
    List<Path> generated =
        Generated.appTripFiles(tmp.resolve("generated"), "jsonl", "--users=80", "--trips=3000", "--days=3",
            "--files=2", "--seed=15");
    List<String> all = new ArrayList<>();
    Files.createDirectories(tmp.resolve("dirty"));
    for (Path file : generated) {
      List<String> lines = new ArrayList<>(Files.readAllLines(file));
      // Dirty, as real feeds are: a truncated line and a copy with another fare, each naming a user and a trip.
      lines.add(lines.get(3).substring(0, lines.get(3).length() / 2));
      Matcher fare = Pattern.compile("\"fare_cents\":([0-9]+)").matcher(lines.get(5));
      assertTrue(fare.find(), lines.get(5));
      String copy = fare.replaceFirst("\"fare_cents\":" + (Long.parseLong(fare.group(1)) + 150));
      assertNotEquals(lines.get(5), copy, "the copy's fare differs");
      lines.add(copy);
      Path dirty = Files.write(tmp.resolve("dirty").resolve(file.getFileName()), lines);
      dirtyFiles.add(dirty);
      s3.put(BUCKET, "raw/" + file.getFileName(), String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
      all.addAll(lines);
    }
    rawFiles = generated.size();
    ids = PersonalData.inLines(all);
    assertTrue(ids.userIds.size() >= 50 && ids.tripIds.size() >= 2000, ids.userIds.size() + " users");
  }

  @AfterAll
  void stop() throws Exception {
    s3.close();
  }

  private ForkedRun job(String name, List<String> credentials, String... args) throws Exception {
    List<String> all = new ArrayList<>(s3.pipelineOptions());
    all.add("--logDir=" + tmp.resolve("logs-" + name));
    all.add("--catalog=jdbc:sqlite:" + tmp.resolve("catalog-" + name + ".db"));
    all.addAll(List.of(args));
    return ForkedRun.run("flink", tmp.resolve("runs").resolve(name), credentials, all.toArray(new String[0]));
  }

  @Test
  @Order(1)
  void jsonLogLinesCarryTheRunContextAndNoPersonalDataOrSecret() throws Exception {
    Path metrics = tmp.resolve("cloudwatch-metrics.json");
    List<String> flags = new ArrayList<>(s3.credentialFlags());
    // The engines at INFO (the default is WARN): everything Flink, Beam and Hadoop say about the run is searched.
    flags.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    run =
        job(
            "json", flags, "--input=s3://" + BUCKET + "/raw/", "--inputFormat=app",
            "--output=s3://" + BUCKET + "/lake", "--runId=ops1", "--logFormat=json",
            "--cloudWatchMetricsFile=" + metrics);
    assertEquals(0, run.exitCode, run.toString());
    report = new ObjectMapper().readTree(s3.get(BUCKET, "lake/_reports/run-ops1.json"));
    assertTrue(report.path("reconciled").asBoolean(), report.toString());
    try (DuckDbReference duck = new DuckDbReference(List.of(), List.of(), dirtyFiles, RealFiles.ZONES)) {
      Map<String, Long> expected = duck.counts();
      assertEquals(expected, RealDataCrossCheckTest.reportCounts(report), "every count, as DuckDB counts the lines");
      assertTrue(expected.get("rejected.unparseable") >= rawFiles, "the truncated lines: " + expected);
      assertTrue(expected.get("rejected.conflicting_duplicate") >= rawFiles, "the copies with another fare: " + expected);
    }

    List<JsonNode> records = new ArrayList<>();
    for (String line : (run.stderr + run.stdout).split("\n")) {
      if (!line.isBlank()) {
        JsonNode record = new ObjectMapper().readTree(line);
        assertTrue(record.isObject(), "one JSON object per line: " + line);
        records.add(record);
      }
    }
    assertTrue(records.size() >= 8, "the start line, the summary lines: " + records.size());
    boolean jobId = false;
    for (JsonNode r : records) {
      assertEquals("ops1", r.path("run_id").asText(), r.toString());
      assertEquals("FlinkRunner", r.path("runner").asText(), r.toString());
      assertEquals("s3://" + BUCKET + "/lake", r.path("lake_root").asText(), r.toString());
      assertEquals("s3://" + BUCKET + "/raw/", r.path("source").asText(), r.toString());
      assertEquals("full_refresh", r.path("mode").asText(), r.toString());
      assertEquals(rawFiles, r.path("input_count").asInt(), r.toString());
      assertTrue(r.has("time") && r.has("level") && r.has("message"), r.toString());
      jobId |= r.path("job_id").asText().matches("[0-9a-f]{32}");
    }
    assertTrue(jobId, "the Flink job id, once the engine's REST API lists the job: " + records);
    assertTrue(records.stream().anyMatch(r -> r.path("message").asText().contains("read        ")), "the summary");

    List<Path> logs;
    try (Stream<Path> files = Files.walk(tmp.resolve("logs-json"))) {
      logs = files.filter(Files::isRegularFile).toList();
    }
    assertEquals(1, logs.size(), "the run's engine log: " + logs);
    assertTrue(Files.readString(logs.get(0)).contains("INFO org.apache.flink.runtime"), "the engines logged at INFO");
    Map<String, String> outputs = new TreeMap<>();
    outputs.put("console", run.stdout + run.stderr);
    for (Path log : logs) {
      outputs.put(log.toString(), Files.readString(log));
    }
    for (Map.Entry<String, String> out : outputs.entrySet()) {
      ids.assertAbsent(out.getKey(), out.getValue());
      assertFalse(out.getValue().contains(LocalS3.SECRET_KEY), "the S3 secret key in " + out.getKey());
    }
    // The ids are in the data (the check can fail): the rejected zone keeps the raw lines, user ids included.
    Path rejected = tmp.resolve("rejected");
    s3.download(BUCKET, "lake/rejected/", rejected);
    String rawRejected = Outputs.query("select string_agg(raw, ' ') from read_parquet('" + rejected + "/*.parquet')").get(0);
    assertTrue(ids.userIds.stream().anyMatch(rawRejected::contains), "the rejected raw lines name users");

    // The engine's Beam counters in the report equal the counts made as data.
    JsonNode engine = report.get("engine_counters");
    JsonNode byReason = report.at("/counts/rejected");
    long byRules = 0;
    for (var reason = byReason.fieldNames(); reason.hasNext(); ) {
      String code = reason.next();
      if (!code.equals("conflicting_duplicate")) {
        assertEquals(byReason.get(code).asLong(), engine.path("ValidateTrips.rejected_" + code).asLong(), code);
        byRules += byReason.get(code).asLong();
      }
    }
    assertEquals(report.at("/counts/read").asLong(), engine.path("ReadTripFiles.rows").asLong(), "rows read");
    assertEquals(report.at("/counts/read").asLong() - byRules, engine.path("ValidateTrips.valid").asLong(), "valid");
    assertEquals(report.at("/counts/duplicates").asLong(), engine.path("DeduplicateTrips.duplicates").asLong());
    assertEquals(report.at("/counts/valid").asLong(), engine.path("DeduplicateTrips.unique").asLong());

    JsonNode data = new ObjectMapper().readTree(metrics.toFile());
    Map<String, Double> byName = new TreeMap<>();
    for (JsonNode d : data) {
      byName.put(d.get("MetricName").asText(), d.get("Value").asDouble());
      assertEquals("Lake", d.at("/Dimensions/0/Name").asText());
      assertEquals("s3://" + BUCKET + "/lake", d.at("/Dimensions/0/Value").asText());
    }
    JsonNode counts = report.get("counts");
    assertEquals(counts.get("read").asDouble(), byName.get("RowsRead"));
    assertEquals(counts.get("valid").asDouble(), byName.get("RowsValid"));
    assertEquals(counts.get("duplicates").asDouble(), byName.get("Duplicates"));
    assertEquals(counts.get("rejected_total").asDouble(), byName.get("RowsRejected"));
    assertEquals(100.0 * counts.get("rejected_total").asLong() / counts.get("read").asLong(), byName.get("RejectedShare"), 1e-9);
    assertEquals(report.get("wall_seconds").asDouble(), byName.get("RunSeconds"), 1e-3);
    // The alarms watch metrics the run publishes.
    try (Stream<Path> alarms = Files.list(EmrBootstrapTest.EMR.resolve("alarms"))) {
      for (Path alarm : alarms.toList()) {
        String text = Files.readString(alarm);
        Matcher metric = Pattern.compile("\"MetricName\": \"([A-Za-z]+)\"").matcher(text);
        assertTrue(metric.find(), alarm.toString());
        if (text.contains("\"Namespace\": \"tripbeam\"")) {
          assertTrue(byName.containsKey(metric.group(1)), alarm + " watches " + metric.group(1) + ", which runs publish: " + byName.keySet());
        }
      }
    }
  }

  @Test
  @Order(2)
  void runPageShowsTheReportInChromium() throws Exception {
    assertTrue(Files.isExecutable(CHROMIUM), "Chromium is installed by runners-config/test.sh (Debian package chromium)");
    Path page = tmp.resolve("run-ops1.html");
    Files.write(page, s3.get(BUCKET, "lake/_reports/run-ops1.html"));
    String html = Files.readString(page);
    assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "self-contained: nothing loaded from the network");

    String dom = chromium("--dump-dom", page.toUri().toString());
    JsonNode counts = report.get("counts");
    for (String label : List.of("read", "valid", "duplicates", "conflicting_duplicates", "rejected_total")) {
      assertEquals(
          String.format(Locale.ROOT, "%,d", counts.get(label).asLong()), cell(dom, label), label + " on the page");
    }
    counts.get("rejected").fields().forEachRemaining(
        e -> assertEquals(String.format(Locale.ROOT, "%,d", e.getValue().asLong()), cell(dom, e.getKey()), e.getKey()));
    assertTrue(dom.contains("<span id=\"reconciled\" class=\"ok\">reconciled</span>"), "the reconciliation holds");
    Matcher bars = Pattern.compile("<rect ").matcher(dom.substring(dom.indexOf("id=\"rejected-chart\"")));
    int n = 0;
    while (bars.find()) {
      n++;
    }
    assertEquals(counts.get("rejected").size(), n, "one bar per reason");
    assertTrue(dom.contains(String.format(Locale.ROOT, "%,d", report.at("/outputs/zone_daily/rows").asLong())), "rows per output");

    Path shot = tmp.resolve("run-page.png");
    chromium("--window-size=1100,1400", "--screenshot=" + shot, page.toUri().toString());
    byte[] png = Files.readAllBytes(shot);
    assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a rendered screenshot");
  }

  @Test
  @Order(3)
  void refusedCredentialsAreAnErrorNotAnEmptyLake() throws Exception {
    ForkedRun refused =
        job(
            "refused", List.of("-Daws.accessKeyId=" + LocalS3.ACCESS_KEY, "-Daws.secretAccessKey=not-the-secret-4711"),
            "--input=s3://" + BUCKET + "/raw/", "--inputFormat=app", "--output=s3://" + BUCKET + "/lake2",
            "--incremental=true", "--runId=refused");
    assertEquals(1, refused.exitCode, refused.toString());
    String first = refused.stderr.lines().filter(l -> l.startsWith("tripbeam: ")).findFirst().orElse("");
    assertTrue(first.contains("cannot list s3://" + BUCKET + "/"), "says what it could not read: " + refused.stderr);
    assertTrue(first.contains("403") || first.contains("Access Denied") || first.contains("SignatureDoesNotMatch"), first);
    assertFalse(refused.stderr.contains("no input file matches"), "a refusal is not an absence: " + refused.stderr);
    assertFalse(refused.stderr.contains("\tat "), "no stack trace: " + refused.stderr);
    assertFalse(refused.stderr.contains("not-the-secret-4711"), "no secret in the message");
    assertEquals(List.of(), s3.keys(BUCKET, "lake2/"), "nothing written");
  }

  private static String cell(String dom, String label) {
    Matcher m = Pattern.compile("data-count=\"" + Pattern.quote(label) + "\">([^<]*)<").matcher(dom);
    return m.find() ? m.group(1) : null;
  }

  private static String chromium(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium")));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(tmp.resolve("chromium.err").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "chromium ended");
    assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("chromium.err")));
    return out;
  }
}
