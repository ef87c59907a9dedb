package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.fixtures.Clusters;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.LocalKafka;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.PersonalData;
import dev.tripbeam.fixtures.RevisedStreamingJob;
import dev.tripbeam.fixtures.StreamOutputs;
import dev.tripbeam.fixtures.StreamingJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * bundled app events (real trips' shapes, 146 invalid rows, 63 duplicate copies): once later trips have closed their
 * days, its zones (every column of the processed trips but their lineage, the aggregates, the rejected counts by reason)
 * equal a batch run's over the same events as a file; late, malformed and duplicate events land where they belong
 * with their reasons and counts; a job stopped with a savepoint and restarted from it as a later version (one more
 * step) loses and duplicates nothing; an unknown topic is a one-line error; no user id or trip id reaches the console,
 * the logs or the count panes. Every wait ends on the job's outputs; the class timeout guards a hang.
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
  private StreamingJob stream;
  private final List<String> texts = new ArrayList<>();
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
      if (stream != null) {
        stream.close();
      }
    } finally {
      kafka.close();
    }
  }

  private static List<String> args(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--streaming=true", "--kafkaTopic=" + TOPIC, "--paneInterval=2s", "--checkpointInterval=2s", "--commitInterval=2s",
                "--parallelism=2"));
    for (String e : extra) {
      String name = e.substring(0, e.indexOf('=') + 1);
      args.removeIf(a -> a.startsWith(name));
      args.add(e);
    }
    return args;
  }

  private StreamingJob startStream(String mainClass, String extraClasspath, String... extra) throws Exception {
    List<String> all = args(extra);
    all.add("--kafkaBootstrapServers=" + kafka.bootstrap());
    return StreamingJob.start(tmp, output, mainClass, extraClasspath, all);
  }

  private Map<String, Long> counts() throws IOException {
    return StreamOutputs.counts(output);
  }

  @Test
  @Order(1)
  void streamEqualsBatchOnceLaterDataHasClosedTheDays() throws Exception {
    List<String> events = StreamingJob.bundledEvents();
    List<String> closers = StreamingJob.closingTrips(PARTITIONS);
    List<String> all = new ArrayList<>(events);
    all.addAll(closers);
    Path file = tmp.resolve("events.jsonl");
    Files.write(file, all);
    Path batch = tmp.resolve("batch-lake");
    ForkedRun run = ForkedRun.main("flink", batch, "--input=" + file, "--inputFormat=app", "--output=" + batch);
    assertEquals(0, run.exitCode, run.toString());
    String openDay = StreamOutputs.pickupDay(closers.get(0));
    List<String> closedDates = StreamOutputs.zoneDays(batch).stream().filter(d -> !d.equals(openDay)).toList();

    // Keyed by trip id, as a producer would send them, each trip's copies in the order that keeps the batch job's copy
    // (the stream keeps the first copy that arrives; the batch job the first in its canonical order).
    kafka.produceByTripId(TOPIC, PARTITIONS, StreamOutputs.keptCopyFirst(events, batch));
    // The watermark moves with data only: each partition's next trip, an hour old, closes the days before it.
    kafka.produce(TOPIC, PARTITIONS, closers);
    produced.addAll(all);
    stream = startStream("dev.tripbeam.cli.TripCommand", "");
    stream.awaitCount("every event counted", produced.size(), stream::readRows);
    stream.await(
        "every closed day written",
        () -> StreamOutputs.zoneDays(output).equals(closedDates) && StreamOutputs.userDays(output).equals(closedDates));
    stream.awaitReconciled();
    StreamOutputs.assertEqualToBatch(batch, output, openDay);
    JsonNode report = run.report();
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
    recent = StreamingJob.recentTrip("recent-0001", "u900000000", 142, 43, 1200, 100, 10);
    String conflicting = recent.replace("\"tip_cents\":100", "\"tip_cents\":250");
    List<String> more = List.of(late, malformed, recent, recent, conflicting);
    kafka.produce(TOPIC, 1, more);
    produced.addAll(more);
    stream.awaitCount("the five events counted", produced.size(), stream::readRows);
    stream.awaitReconciled();
    stream.await(
        "the rejected records written",
        () -> rejected("late_trip").size() >= 1 && rejected("unparseable").contains(malformed));
    // Each count label has its own pane (a processing-time trigger per key): the copies' counts may be written a pane
    // after the rejected records that reconcile them.
    stream.awaitCount(
        "the exact copy and the conflicting copy counted", 2,
        () -> delta(before, counts(), "duplicates.copies_removed") + delta(before, counts(), "duplicates.conflicting"));

    Map<String, Long> after = counts();
    assertEquals(List.of(late), rejected("late_trip"), "the late trip, with its raw event");
    assertTrue(rejected("unparseable").contains(malformed), "the malformed event, as it came");
    assertEquals(1, delta(before, after, "rejected.late_trip"));
    assertEquals(1, delta(before, after, "rejected.unparseable"));
    assertEquals(1, delta(before, after, "duplicates.copies_removed"), "the exact copy");
    assertEquals(1, delta(before, after, "duplicates.conflicting"), "the copy with another tip");
    assertEquals(1, delta(before, after, "rejected.conflicting_duplicate"));
    assertEquals(List.of("recent-0001|100"), StreamOutputs.processedTrips(output, "recent-"),
        "the recent trip once, the copy with the lower tip, its copies not");
  }

  @Test
  @Order(3)
  void stopWithASavepointAndRestartAsALaterVersionLosesAndDuplicatesNothing() throws Exception {
    String job = stream.runningJob();
    String savepoint = stopWithSavepoint(job, tmp.resolve("savepoints"));
    assertTrue(stream.waitFor(2), "the job ended after its savepoint");
    assertEquals(0, stream.exitValue(), stream.logTail());
    texts.addAll(stream.texts());
    long before = StreamOutputs.processedRows(output);

    // While the job is down: 20 new trips and a copy of a trip the job kept before the stop.
    List<String> more = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      more.add(StreamingJob.recentTrip(String.format("recent-1%03d", i), "u900000000", 142, 43, 1200, 10 + i, 10));
    }
    more.add(recent);
    kafka.produce(TOPIC, PARTITIONS, more);
    produced.addAll(more);
    Map<String, Long> counted = counts();
    // Restarted as a later version (one more step; the stateful steps unchanged) with another pane interval.
    stream =
        startStream(
            "dev.tripbeam.fixtures.RevisedStreamingJob",
            Path.of(System.getProperty("tripbeam.testClasses", "target/test-classes")).toAbsolutePath().toString(),
            "--savepointPath=" + savepoint,
            "--paneInterval=3s");
    stream.await(
        "the restarted job running",
        () -> {
          try {
            return stream.runningJob() != null;
          } catch (Exception notYet) {
            return false;
          }
        });
    JsonNode restored =
        new ObjectMapper()
            .readTree(Clusters.http("http://127.0.0.1:" + stream.restPort + "/jobs/" + stream.runningJob() + "/checkpoints"))
            .at("/latest/restored/external_path");
    assertEquals(
        Path.of(java.net.URI.create(savepoint)),
        Path.of(java.net.URI.create(restored.asText())),
        "the job restored its state from the savepoint");
    stream.awaitCount("the events sent while it was down counted", produced.size(), stream::readRows);
    stream.awaitCount("their trips written", before + 20, () -> StreamOutputs.processedRows(output));
    stream.awaitReconciled();
    assertEquals(1, delta(counted, counts(), "duplicates.copies_removed"), "the copy of a trip kept before the stop");
    assertEquals(StreamOutputs.processedRows(output), StreamOutputs.distinctProcessedTrips(output), "no trip twice");
    stream.awaitCount("the new step's output", 20, this::revisionTrips);
  }

  @Test
  @Order(4)
  void anUnknownTopicIsAOneLineError() throws Exception {
    List<String> all = args("--kafkaTopic=no-such-topic");
    all.add("--kafkaBootstrapServers=" + kafka.bootstrap());
    all.add("--output=" + tmp.resolve("unknown-topic"));
    ForkedRun run = ForkedRun.main("flink", tmp.resolve("unknown-topic"), all.toArray(new String[0]));
    assertEquals(1, run.exitCode, run.toString());
    List<String> lines = run.stderr.lines().filter(l -> !l.isBlank()).toList();
    assertEquals(
        List.of("tripbeam: the Kafka brokers at " + kafka.bootstrap() + " have no topic no-such-topic (create it, or "
            + "give --kafkaTopic)"),
        lines,
        "one line, naming the topic");
    assertFalse(Files.exists(tmp.resolve("unknown-topic").resolve("_streaming")), "nothing started");
  }

  @Test
  @Order(5)
  void noUserIdOrTripIdInTheConsoleOrTheLogs() throws Exception {
    stream.close();
    texts.addAll(stream.texts());
    // The stream's own report: its count panes.
    Map<String, String> counts = PersonalData.files(output.resolve("_streaming/counts"));
    assertFalse(counts.isEmpty(), "the count panes");
    texts.addAll(counts.values());
    PersonalData ids = PersonalData.inLines(produced);
    assertTrue(ids.userIds.size() > 10, "the events name users");
    for (int i = 0; i < texts.size(); i++) {
      ids.assertAbsent("text " + i + " of the streaming runs", texts.get(i));
    }
    assertTrue(texts.stream().anyMatch(t -> t.contains("INFO") || t.contains("WARN")), "the engines' log is read");
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

  private List<String> rejected(String reason) throws Exception {
    return Outputs.rejectedRaw(output, reason);
  }

  /** Stops the job with a savepoint through Flink's REST API and returns the savepoint's location. */
  private String stopWithSavepoint(String job, Path dir) throws Exception {
    String base = "http://127.0.0.1:" + stream.restPort + "/jobs/" + job;
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
        assertTrue(stream.waitFor(2), "the REST API went away while the job ran on: " + restGone);
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
}
