package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job on embedded Flink, reading a real Kafka broker (KRaft, its own JVM on 127.0.0.1) fed with the
 * bundled app events (real trips' shapes, 146 invalid rows, 63 duplicate copies): once the watermark has passed,
 * its zone_daily and user_daily equal a batch run's over the same events as a file; late, malformed and duplicate
 * events land where they belong with their reasons and counts; a job stopped with a savepoint and restarted from it as
 * a later version (one more step) loses and duplicates nothing. Every wait ends on the job's state (files, counts); the class timeout guards a hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class StreamingKafkaTest {
  private static final String TOPIC = "trips";
  private static final int PARTITIONS = 2;
  private static final Pattern TRIP_ID = Pattern.compile("\"trip_id\":\"([^\"]+)\"");

  @TempDir static Path tmp;
  private LocalKafka kafka;
  private Path output;
  private Process stream;
  private int restPort;
  private final List<String> produced = new ArrayList<>();
  private String recent;

  @BeforeAll
  void startBroker() throws Exception {
    kafka = LocalKafka.start(tmp.resolve("kafka"));
    kafka.createTopic(TOPIC, PARTITIONS);
    output = tmp.resolve("stream-lake");
  }

  @AfterAll
  void stopAll() throws Exception {
    try {
      if (stream != null && stream.isAlive()) {
        stream.destroyForcibly().waitFor();
      }
    } finally {
      kafka.close();
    }
  }

  private Process startStream(String... extra) throws Exception {
    return startVersion("dev.tripbeam.pipeline.TripPipeline", "", extra);
  }

  /** The job of {@code mainClass} (with {@code extraClasspath} in front of the runner's) on the broker's topic. */
  private Process startVersion(String mainClass, String extraClasspath, String... extra) throws Exception {
    Path conf = Files.createDirectories(tmp.resolve("flink-conf-" + System.nanoTime()));
    restPort = freePort();
    Files.writeString(
        conf.resolve("flink-conf.yaml"),
        "rest.address: 127.0.0.1\nrest.bind-address: 127.0.0.1\nrest.port: " + restPort + "\n");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--streaming=true",
                "--kafkaBootstrapServers=" + kafka.bootstrap(),
                "--kafkaTopic=" + TOPIC,
                "--output=" + output,
                "--paneInterval=2s",
                "--checkpointInterval=2s",
                "--parallelism=2",
                "--flinkConfDir=" + conf));
    for (String e : extra) {
      String name = e.substring(0, e.indexOf('=') + 1);
      args.removeIf(a -> a.startsWith(name));
      args.add(e);
    }
    ProcessBuilder pb = ForkedRun.start("flink", mainClass, extraClasspath, List.of(), args.toArray(new String[0]));
    Path log = tmp.resolve("stream-" + System.nanoTime());
    return pb.redirectOutput(log.resolveSibling(log.getFileName() + ".out").toFile())
        .redirectError(log.resolveSibling(log.getFileName() + ".err").toFile())
        .start();
  }

  /**
   * Waits until the counts reconcile: a count made when a trip's copies are judged (as the watermark passes its
   * pickup) can land in a later pane than the events it counts.
   */
  private void awaitReconciled() throws Exception {
    await("the counts to reconcile", () -> StreamOutputs.reconciliationError(output) == null);
  }

  private Map<String, Long> counts() throws IOException {
    return StreamOutputs.counts(output);
  }

  /** Waits while the stream runs until {@code done} holds; fails when the stream ends first. */
  private void await(String what, Condition done) throws Exception {
    while (stream.isAlive() && !done.holds()) {
      Thread.sleep(500);
    }
    assertTrue(stream.isAlive(), "the stream ended while waiting for " + what + ": " + stderr());
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private String stderr() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      StringBuilder s = new StringBuilder();
      for (Path f : files.filter(p -> p.toString().endsWith(".err") || p.toString().endsWith(".out")).sorted().toList()) {
        String text = Files.readString(f);
        s.append(f.getFileName()).append(":\n").append(text, Math.max(0, text.length() - 3000), text.length());
      }
      return s.toString();
    }
  }

  @Test
  @Order(1)
  void streamEqualsBatchOnceTheWatermarkHasPassed() throws Exception {
    List<String> events;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(RealFiles.APP_JSONL))) {
      events = StreamOutputs.inPickupOrder(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
    }
    Path file = tmp.resolve("events.jsonl");
    Files.write(file, events);
    Path batch = tmp.resolve("batch-lake");
    ForkedRun run = ForkedRun.main("flink", batch, "--input=" + file, "--inputFormat=app", "--output=" + batch);
    assertEquals(0, run.exitCode, run.toString());
    List<String> batchDates = StreamOutputs.zoneDays(batch);

    kafka.produce(TOPIC, PARTITIONS, events);
    produced.addAll(events);
    stream = startStream();
    // The watermark passes every day once the partitions are read to their end (they then follow the clock).
    await(
        "every event counted and every day written",
        () -> counts().getOrDefault("read_rows", 0L) == produced.size()
            && StreamOutputs.zoneDays(output).equals(batchDates)
            && StreamOutputs.userDays(output).equals(batchDates));

    assertEquals(Outputs.zoneDaily(batch), Outputs.zoneDaily(output), "zone_daily: stream vs batch");
    assertEquals(Outputs.userDaily(batch), Outputs.userDaily(output), "user_daily: stream vs batch");
    assertEquals(Outputs.anomalies(batch), Outputs.anomalies(output), "anomalies: stream vs batch");
    awaitReconciled();
    JsonNode report = run.report();
    assertEquals(report.at("/counts/valid").asLong(), StreamOutputs.processedRows(output), "the processed trips: stream vs batch");
    assertEquals(report.at("/counts/read").asLong(), counts().get("read_rows"));
    assertEquals(report.at("/counts/duplicates").asLong(), counts().get("duplicates.copies_removed"), "copies removed");
  }

  @Test
  @Order(2)
  void lateMalformedAndDuplicateEventsLandWhereTheyBelong() throws Exception {
    Map<String, Long> before = counts();
    String lateLine = produced.stream().filter(l -> StreamOutputs.pickupText(l).startsWith("2024-03-05T12")).findFirst().orElseThrow();
    String late = TRIP_ID.matcher(lateLine).replaceFirst("\"trip_id\":\"late-0001\"");
    String malformed = "{\"trip_id\":\"broken-0001\",\"user_id\":";
    recent = recentTrip("recent-0001", 100);
    String conflicting = recent.replace("\"tip_cents\":100", "\"tip_cents\":250");
    List<String> more = List.of(late, malformed, recent, recent, conflicting);
    kafka.produce(TOPIC, 1, more);
    produced.addAll(more);
    await("the five events counted", () -> counts().getOrDefault("read_rows", 0L) == produced.size());
    awaitReconciled();
    await("the rejected records written", () -> rejected("late_trip").size() == 1 && rejected("unparseable").size() > before.getOrDefault("rejected.unparseable", 0L));

    Map<String, Long> after = counts();
    assertEquals(List.of(late), rejected("late_trip"), "the late trip, with its raw event");
    assertTrue(rejected("unparseable").contains(malformed), "the malformed event, as it came");
    assertEquals(1, delta(before, after, "rejected.late_trip"));
    assertEquals(1, delta(before, after, "rejected.unparseable"));
    assertEquals(1, delta(before, after, "duplicates.copies_removed"), "the exact copy");
    assertEquals(1, delta(before, after, "duplicates.conflicting"), "the copy with another tip");
    assertEquals(1, delta(before, after, "rejected.conflicting_duplicate"));
    assertEquals(1, StreamOutputs.processedRows(output, today(recent)), "the recent trip once, its copies not");
  }

  @Test
  @Order(3)
  void stopWithASavepointAndRestartAsALaterVersionLosesAndDuplicatesNothing() throws Exception {
    String job = runningJob();
    String savepoint = stopWithSavepoint(job, tmp.resolve("savepoints"));
    assertTrue(stream.waitFor(2, TimeUnit.MINUTES), "the job ended after its savepoint");
    assertEquals(0, stream.exitValue(), stderr());
    long before = StreamOutputs.processedRows(output);

    // While the job is down: 20 new trips and a copy of a trip the job kept before the stop.
    List<String> more = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      more.add(recentTrip(String.format("recent-1%03d", i), 10 + i));
    }
    more.add(recent);
    kafka.produce(TOPIC, PARTITIONS, more);
    produced.addAll(more);
    Map<String, Long> counted = counts();
    // Restarted as a later version (one more step; the stateful steps unchanged) with another pane interval.
    stream =
        startVersion(
            "dev.tripbeam.pipeline.RevisedStreamingJob",
            Path.of(System.getProperty("tripbeam.testClasses", "target/test-classes")).toAbsolutePath().toString(),
            "--savepointPath=" + savepoint,
            "--paneInterval=3s");
    await(
        "the restarted job running",
        () -> {
          try {
            return runningJob() != null;
          } catch (Exception notYet) {
            return false;
          }
        });
    JsonNode restored =
        new ObjectMapper()
            .readTree(Clusters.http("http://127.0.0.1:" + restPort + "/jobs/" + runningJob() + "/checkpoints"))
            .at("/latest/restored/external_path");
    assertEquals(
        Path.of(java.net.URI.create(savepoint)),
        Path.of(java.net.URI.create(restored.asText())),
        "the job restored its state from the savepoint");
    await("the events sent while it was down counted", () -> counts().getOrDefault("read_rows", 0L) == produced.size());
    await("their trips written", () -> StreamOutputs.processedRows(output) == before + 20);
    awaitReconciled();
    assertEquals(1, delta(counted, counts(), "duplicates.copies_removed"), "the copy of a trip kept before the stop");
    assertEquals(StreamOutputs.processedRows(output), StreamOutputs.distinctProcessedTrips(output), "no trip twice");
    await("the new step's output", () -> revisionTrips() == 20);
  }

  /** The trips the revised job's new step counted, over its files. */
  private long revisionTrips() throws IOException {
    Path dir = output.resolve("_streaming/revision");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long sum = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
        for (String line : Files.readAllLines(f)) {
          sum += Long.parseLong(line.trim());
        }
      }
    }
    return sum;
  }

  private static long delta(Map<String, Long> before, Map<String, Long> after, String label) {
    return after.getOrDefault(label, 0L) - before.getOrDefault(label, 0L);
  }

  /** An app event picked up {@code 1 h} ago (its day is open), 10 minutes long. */
  private static String recentTrip(String id, int tipCents) {
    LocalDateTime pickup = LocalDateTime.now(ZoneOffset.UTC).minusHours(1).withNano(0);
    DateTimeFormatter f = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
    return "{\"trip_id\":\"" + id + "\",\"user_id\":\"u900000000\",\"pickup_ts\":\"" + f.format(pickup) + "Z\","
        + "\"dropoff_ts\":\"" + f.format(pickup.plusMinutes(10)) + "Z\",\"pu_zone_id\":142,\"do_zone_id\":43,"
        + "\"passenger_count\":1,\"distance_miles\":1.5,\"fare_cents\":1200,\"tip_cents\":" + tipCents
        + ",\"tolls_cents\":0,\"total_cents\":" + (1200 + tipCents + 150) + ",\"payment_type\":1}";
  }

  private static String today(String line) {
    return java.time.Instant.parse(StreamOutputs.pickupText(line)).atZone(java.time.ZoneId.of("America/New_York")).toLocalDate().toString();
  }

  private List<String> rejected(String reason) throws Exception {
    if (!Files.isDirectory(output.resolve("rejected"))) {
      return List.of();
    }
    return Outputs.query(
        "select raw from read_parquet('" + output + "/rejected/*.parquet') where reason = '" + reason + "' order by raw");
  }

  private String runningJob() throws Exception {
    for (JsonNode j : new ObjectMapper().readTree(Clusters.http("http://127.0.0.1:" + restPort + "/jobs/overview")).get("jobs")) {
      if (j.get("state").asText().equals("RUNNING")) {
        return j.get("jid").asText();
      }
    }
    throw new IllegalStateException("no running job at the embedded cluster's REST API");
  }

  /** Stops the job with a savepoint through Flink's REST API and returns the savepoint's location. */
  private String stopWithSavepoint(String job, Path dir) throws Exception {
    String base = "http://127.0.0.1:" + restPort + "/jobs/" + job;
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/stop"))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"targetDirectory\":\"" + dir.toUri() + "\",\"drain\":false}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    String trigger = new ObjectMapper().readTree(r.body()).get("request-id").asText();
    while (true) {
      JsonNode status;
      try {
        status = new ObjectMapper().readTree(Clusters.http(base + "/savepoints/" + trigger));
      } catch (IOException restGone) {
        // The embedded cluster ends with its job: the savepoint may complete and the process exit between two polls.
        assertTrue(stream.waitFor(2, TimeUnit.MINUTES), "the REST API went away while the job ran on: " + restGone);
        return completedSavepoint(dir);
      }
      if (status.at("/status/id").asText().equals("COMPLETED")) {
        JsonNode location = status.at("/operation/location");
        assertFalse(location.isMissingNode(), "the savepoint failed: " + status);
        return location.asText();
      }
      Thread.sleep(200);
    }
  }

  /** The one savepoint under {@code dir} whose metadata was written, as a URI. */
  private static String completedSavepoint(Path dir) throws IOException {
    try (Stream<Path> found = Files.list(dir)) {
      List<Path> complete = found.filter(p -> Files.isRegularFile(p.resolve("_metadata"))).toList();
      assertEquals(1, complete.size(), "savepoints with metadata under " + dir + ": " + complete);
      return complete.get(0).toUri().toString();
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
