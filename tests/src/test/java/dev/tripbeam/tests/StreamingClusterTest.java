package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.fixtures.Clusters;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Generated;
import dev.tripbeam.fixtures.LocalKafka;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.fixtures.StreamOutputs;
import dev.tripbeam.fixtures.StreamingJob;
import dev.tripbeam.oracles.DuckDbReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job on the local Flink standalone cluster (RocksDB state, checkpoints every 2 s) reading a real Kafka
 * broker. First, the job's Beam counters scraped from Flink's Prometheus reporter (every process's HTTP endpoint on
 * 127.0.0.1:9250-9260) while it runs, whose final values equal the counts the job wrote. Then {@code kill -9} of a
 * TaskManager by its PID while the job reads, a replacement TaskManager, and after the recovery every trip is counted
 * exactly once: the zones equal a batch run's over the same events, no trip twice, and the counts reconcile. Slow:
 * runs with {@code -Dcluster.tests}.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class StreamingClusterTest {
  private static final String TOPIC = "trips";
  private static final int PARTITIONS = 2;

  @TempDir static Path tmp;
  private LocalKafka kafka;
  private Process client;

  @BeforeAll
  void start() throws Exception {
    Clusters.script("flink-cluster.sh", "start");
    kafka = LocalKafka.start(tmp.resolve("kafka"));
    kafka.createTopic(TOPIC, PARTITIONS);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (client != null && client.isAlive()) {
        client.destroyForcibly().waitFor();
      }
      Clusters.script("flink-cluster.sh", "stop");
    } finally {
      kafka.close();
    }
  }

  /** App trip events generated from the real TLC rows (one JSON lines file), in pickup order. */
  private static List<String> generatedEvents(String folder, String... settings) throws Exception {
    return StreamOutputs.inPickupOrder(Files.readAllLines(Generated.appTrips(tmp.resolve(folder), "jsonl", settings)));
  }

  /** One sample of a Prometheus scrape: tripbeam's Beam counter (namespace_name), its operator, its value. */
  private record Sample(String counter, String operator, double value) {}

  private static final Pattern SAMPLE =
      Pattern.compile(
          "(?m)^flink_taskmanager_job_task_operator_(ReadTripEvents|ValidateTrips|DeduplicateTripStream|WritePaneFiles)_([a-z0-9_]+)\\{([^}]*)\\} (\\S+)$");
  private static final Pattern OPERATOR = Pattern.compile("operator_name=\"([^\"]*)\"");

  /** tripbeam's counters on every Prometheus endpoint of the cluster's processes (127.0.0.1:9250-9260). */
  private static List<Sample> scrape() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    List<Sample> samples = new ArrayList<>();
    for (int port = 9250; port <= 9260; port++) {
      String body;
      try {
        body =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
      } catch (Exception e) {
        continue;
      }
      Matcher m = SAMPLE.matcher(body);
      while (m.find()) {
        Matcher op = OPERATOR.matcher(m.group(3));
        samples.add(new Sample(m.group(1) + "." + m.group(2), op.find() ? op.group(1) : "", Double.parseDouble(m.group(4))));
      }
    }
    return samples;
  }

  /** Sums per counter; a counter of WritePaneFiles per writing step (its operator's name starts with the step's). */
  private static Map<String, Long> sums(List<Sample> samples) {
    Map<String, Long> sums = new TreeMap<>();
    for (Sample s : samples) {
      String key = s.counter();
      if (key.startsWith("WritePaneFiles.")) {
        key = s.operator().replaceAll("^(Write[A-Za-z]+).*", "$1") + "." + key.substring("WritePaneFiles.".length());
      }
      sums.merge(key, (long) s.value(), Long::sum);
    }
    return sums;
  }

  /**
   * What the counters must say once the job has counted every event, from the DuckDB reference over the raw events
   * (it shares nothing with the job): rows read, rejected per rule, valid, duplicates, processed and rejected rows.
   */
  private static Map<String, Long> expectedCounters(Path events) throws Exception {
    Map<String, Long> counts;
    try (DuckDbReference duck = new DuckDbReference(List.of(), List.of(), List.of(events), RealFiles.ZONES)) {
      counts = duck.counts();
    }
    Map<String, Long> expected = new TreeMap<>();
    long read = counts.get("read");
    long byRules = 0;
    long rejected = 0;
    expected.put("ReadTripEvents.events", read);
    for (Map.Entry<String, Long> c : counts.entrySet()) {
      if (c.getKey().startsWith("rejected.")) {
        rejected += c.getValue();
        String reason = c.getKey().substring("rejected.".length());
        if (!reason.equals("conflicting_duplicate")) {
          expected.put("ValidateTrips.rejected_" + reason, c.getValue());
          byRules += c.getValue();
        }
      }
    }
    expected.put("ValidateTrips.valid", read - byRules);
    expected.put("DeduplicateTripStream.duplicates", counts.get("duplicates"));
    expected.put("WriteProcessedTrips.rows", counts.get("valid"));
    expected.put("WriteRejectedTrips.rows", rejected);
    return expected;
  }

  /** The records the job's first vertex (the source and the steps chained to it) has sent on, by Flink's REST API. */
  private static long sourceRecordsSent(String jobId) throws Exception {
    JsonNode job = new ObjectMapper().readTree(Clusters.http("http://127.0.0.1:8081/jobs/" + jobId));
    return job.get("vertices").get(0).at("/metrics/write-records").asLong();
  }

  @Test
  @Order(1)
  void beamCountersOnPrometheusEqualTheCountsTheJobWrote() throws Exception {
    String topic = "metrics";
    kafka.createTopic(topic, PARTITIONS);
    List<String> events = new ArrayList<>(generatedEvents("metrics-generated", "--users=800", "--trips=40000", "--days=2", "--seed=16"));
    // Dirty, as real feeds are: cut lines (unparseable) and exact copies (duplicates), each next to its original.
    for (int i = 0; i < 30; i++) {
      int at = 500 + i * 1000;
      events.add(at + 1, events.get(at));
      events.add(at + 2, events.get(at + 3).substring(0, 40));
    }
    kafka.produce(topic, PARTITIONS, events);
    Map<String, Long> expected = expectedCounters(Files.write(tmp.resolve("metrics-events.jsonl"), events));
    assertTrue(expected.get("ValidateTrips.rejected_unparseable") >= 30 && expected.get("DeduplicateTripStream.duplicates") >= 30, expected.toString());
    Path output = tmp.resolve("metrics-stream");
    Process job =
        Clusters.flinkStreamingClient(kafka.bootstrap(), topic, output)
            .redirectOutput(tmp.resolve("metrics-client.out").toFile())
            .redirectError(tmp.resolve("metrics-client.err").toFile())
            .start();
    String jobId = null;
    try {
      boolean seenWhileRunning = false;
      Map<String, Long> scraped = Map.of();
      long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
      // Waits until every counter has reached its expected value (or the deadline): a counter past it fails below.
      while (job.isAlive() && System.nanoTime() < deadline) {
        scraped = sums(scrape());
        long counted = StreamOutputs.counts(output).getOrDefault("read_rows", 0L);
        if (counted < events.size() && scraped.getOrDefault("ReadTripEvents.events", 0L) > 0) {
          seenWhileRunning = true;
        }
        Map<String, Long> now = scraped;
        if (expected.entrySet().stream().allMatch(e -> now.getOrDefault(e.getKey(), 0L) >= e.getValue())
            && counted >= events.size() && StreamOutputs.reconciliationError(output) == null) {
          break;
        }
        Thread.sleep(500);
      }
      jobId = Clusters.runningFlinkJob();
      assertTrue(job.isAlive(), "the job ended: " + Files.readString(tmp.resolve("metrics-client.err")));
      assertTrue(seenWhileRunning, "tripbeam's counters on Prometheus while the job ran: " + scraped);
      assertEquals(events.size(), StreamOutputs.counts(output).get("read_rows"), "every event counted");
      assertEquals(expected.get("WriteProcessedTrips.rows"), StreamOutputs.processedRows(output), "processed trips");
      for (Map.Entry<String, Long> e : expected.entrySet()) {
        assertEquals(e.getValue(), scraped.get(e.getKey()), e.getKey() + " on Prometheus vs the job's counts; scraped " + scraped);
      }
      assertNull(StreamOutputs.reconciliationError(output));
    } finally {
      if (jobId != null) {
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:8081/jobs/" + jobId + "?mode=cancel"))
                    .method("PATCH", HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        while (Clusters.runningFlinkJob() != null) {
          Thread.sleep(200);
        }
      }
      job.destroyForcibly().waitFor();
    }
  }

  @Test
  @Order(2)
  void everyTripIsCountedOnceAfterAKilledTaskManager() throws Exception {
    List<String> events = new ArrayList<>(generatedEvents("generated", "--users=3000", "--trips=120000", "--days=3", "--seed=14"));
    List<String> closers = StreamingJob.closingTrips(PARTITIONS);
    events.addAll(closers);
    Path file = tmp.resolve("events.jsonl");
    Files.write(file, events);
    Path batch = tmp.resolve("batch");
    ForkedRun run = ForkedRun.main("flink", batch, "--input=" + file, "--inputFormat=app", "--output=" + batch);
    assertEquals(0, run.exitCode, run.toString());
    // Keyed by trip id, each trip's copies in the order that keeps the batch job's copy, the closing trips last.
    kafka.produceByTripId(TOPIC, PARTITIONS, StreamOutputs.keptCopyFirst(events.subList(0, events.size() - PARTITIONS), batch));
    kafka.produce(TOPIC, PARTITIONS, closers);

    Path output = tmp.resolve("stream");
    client = Clusters.flinkStreamingClient(kafka.bootstrap(), TOPIC, output).redirectOutput(tmp.resolve("client.out").toFile())
        .redirectError(tmp.resolve("client.err").toFile()).start();
    String victim = "taskmanager-1";
    String[] job = {null};
    // Busy: the job runs on the victim, part (not all) of the events are counted in committed panes, and the source
    // has sent on more events than those (a pane is in flight: read, not yet committed).
    long[] sent = {0};
    while (client.isAlive()
        && !((job[0] = Clusters.runningFlinkJob()) != null
            && Clusters.flinkRunsSubtasksOn(job[0], victim)
            && StreamOutputs.counts(output).getOrDefault("read_rows", 0L) > 0
            && (sent[0] = sourceRecordsSent(job[0])) > StreamOutputs.counts(output).getOrDefault("read_rows", 0L))) {
      Thread.sleep(100);
    }
    long before = StreamOutputs.counts(output).getOrDefault("read_rows", 0L);
    assertTrue(client.isAlive(), Files.readString(tmp.resolve("client.err")));
    assertTrue(before < events.size(), "the kill comes while the job reads: " + before + " of " + events.size());
    assertTrue(sent[0] > before, "events in flight at the kill: " + sent[0] + " sent on, " + before + " committed");
    Clusters.kill9(Clusters.pid("flink", victim));
    Clusters.script("flink-cluster.sh", "add-taskmanager", "taskmanager-3");

    String openDay = StreamOutputs.pickupDay(closers.get(0));
    List<String> days = StreamOutputs.zoneDays(batch).stream().filter(d -> !d.equals(openDay)).toList();
    long valid = run.report().at("/counts/valid").asLong();
    // Done when every event is counted, every day closed and the last processed-trip and rejected panes written: the
    // days close in event time, the trips they release reach a pane up to one pane interval later, and each pane
    // becomes a file only after the checkpoint after it. A trip that never comes still fails the checks below.
    long deadline = Long.MAX_VALUE;
    while (client.isAlive() && System.nanoTime() < deadline) {
      boolean closed =
          StreamOutputs.counts(output).getOrDefault("read_rows", 0L) >= events.size()
              && StreamOutputs.zoneDays(output).equals(days)
              && StreamOutputs.userDays(output).equals(days);
      if (closed && StreamOutputs.processedRows(output) >= valid && StreamOutputs.reconciliationError(output) == null) {
        break;
      }
      if (closed && deadline == Long.MAX_VALUE) {
        deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
      }
      Thread.sleep(500);
    }
    assertTrue(client.isAlive(), "the job ended: " + Files.readString(tmp.resolve("client.err")));
    Clusters.assertFailedOverFrom(job[0], victim);
    JsonNode restored =
        new ObjectMapper()
            .readTree(Clusters.http("http://127.0.0.1:8081/jobs/" + job[0] + "/checkpoints"))
            .at("/latest/restored");
    assertTrue(restored.isObject() && restored.path("id").asLong() > 0, "the job restored a checkpoint: " + restored);
    assertEquals(events.size(), StreamOutputs.counts(output).get("read_rows"), "every event read once");
    assertEquals(valid, StreamOutputs.processedRows(output), "processed trips");
    StreamOutputs.assertEqualToBatch(batch, output, openDay);
    assertEquals(StreamOutputs.processedRows(output), StreamOutputs.distinctProcessedTrips(output), "no trip twice");
    assertNull(StreamOutputs.reconciliationError(output));
  }
}
