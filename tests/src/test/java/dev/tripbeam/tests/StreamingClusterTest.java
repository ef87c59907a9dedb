package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.pipeline.generate.GenerateTrips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job on the local Flink standalone cluster (RocksDB state, checkpoints every 2 s) reading a real Kafka
 * broker: {@code kill -9} of a TaskManager by its PID while the job reads, a replacement TaskManager, and after the
 * recovery every trip is counted exactly once: the zones equal a batch run's over the same events, no trip twice, and
 * the counts reconcile. Slow: runs with {@code -Dcluster.tests}.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
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

  @Test
  void everyTripIsCountedOnceAfterAKilledTaskManager() throws Exception {
    Path generated = tmp.resolve("generated");
    GenerateTrips.generate(
        GenerateTrips.Settings.parse(
            new String[] {
              "--users=3000", "--trips=120000", "--days=3", "--files=1", "--seed=14", "--format=jsonl",
              "--output=" + generated, "--templates=" + RealFiles.YELLOW_CSV
            }));
    List<String> events;
    try (var files = Files.list(generated)) {
      events = StreamOutputs.inPickupOrder(Files.readAllLines(files.filter(f -> f.toString().endsWith(".jsonl")).findFirst().orElseThrow()));
    }
    Path file = tmp.resolve("events.jsonl");
    Files.write(file, events);
    Path batch = tmp.resolve("batch");
    ForkedRun run = ForkedRun.main("flink", batch, "--input=" + file, "--inputFormat=app", "--output=" + batch);
    assertEquals(0, run.exitCode, run.toString());
    kafka.produce(TOPIC, PARTITIONS, events);

    Path output = tmp.resolve("stream");
    client = Clusters.flinkStreamingClient(kafka.bootstrap(), TOPIC, output).redirectOutput(tmp.resolve("client.out").toFile())
        .redirectError(tmp.resolve("client.err").toFile()).start();
    String victim = "taskmanager-1";
    String[] job = {null};
    // Busy: the job runs on the victim, and part (not all) of the events are counted in committed panes.
    while (client.isAlive()
        && !((job[0] = Clusters.runningFlinkJob()) != null
            && Clusters.flinkRunsSubtasksOn(job[0], victim)
            && StreamOutputs.counts(output).getOrDefault("read_rows", 0L) > 0)) {
      Thread.sleep(100);
    }
    long before = StreamOutputs.counts(output).getOrDefault("read_rows", 0L);
    assertTrue(client.isAlive(), Files.readString(tmp.resolve("client.err")));
    assertTrue(before < events.size(), "the kill comes while the job reads: " + before + " of " + events.size());
    Clusters.kill9(Clusters.pid("flink", victim));
    Clusters.script("flink-cluster.sh", "add-taskmanager", "taskmanager-3");

    List<String> days = StreamOutputs.zoneDays(batch);
    while (client.isAlive()
        && !(StreamOutputs.counts(output).getOrDefault("read_rows", 0L) >= events.size()
            && StreamOutputs.zoneDays(output).equals(days)
            && StreamOutputs.userDays(output).equals(days))) {
      Thread.sleep(500);
    }
    assertTrue(client.isAlive(), "the job ended: " + Files.readString(tmp.resolve("client.err")));
    JsonNode history =
        new ObjectMapper()
            .readTree(Clusters.http("http://127.0.0.1:8081/jobs/" + job[0] + "/exceptions"))
            .at("/exceptionHistory/entries");
    assertTrue(history.toString().contains(victim), "the job failed over from the killed TaskManager: " + history);
    assertEquals(events.size(), StreamOutputs.counts(output).get("read_rows"), "every event read once");
    assertEquals(Outputs.zoneDaily(batch), Outputs.zoneDaily(output), "zone_daily: stream vs batch");
    assertEquals(Outputs.userDaily(batch), Outputs.userDaily(output), "user_daily: stream vs batch");
    assertEquals(run.report().at("/counts/valid").asLong(), StreamOutputs.processedRows(output), "processed trips");
    assertEquals(StreamOutputs.processedRows(output), StreamOutputs.distinctProcessedTrips(output), "no trip twice");
    assertNull(StreamOutputs.reconciliationError(output));
  }
}
