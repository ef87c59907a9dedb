package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * One streaming job on embedded Flink in its own JVM, as the streaming tests drive it: started with its console and
 * log in files under the test's folder and its REST API on a free port of 127.0.0.1; waits that end on what the job
 * wrote and fail, with the job's last log lines, when it ends first; the bundled app events in pickup order and recent
 * trips whose day is open.
 */
final class StreamingJob implements AutoCloseable {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private final Process process;
  private final Path log;
  final Path output;
  final int restPort;

  private StreamingJob(Process process, Path log, Path output, int restPort) {
    this.process = process;
    this.log = log;
    this.output = output;
    this.restPort = restPort;
  }

  /**
   * Starts {@code mainClass} ({@code extraClasspath} in front of the Flink runner's, empty for none) with {@code
   * args}, {@code --output} and an embedded REST API on a free port; its console goes to files under {@code logs}.
   */
  static StreamingJob start(Path logs, Path output, String mainClass, String extraClasspath, List<String> args)
      throws Exception {
    Path conf = Files.createDirectories(logs.resolve("flink-conf-" + System.nanoTime()));
    int port = Ports.free();
    Files.writeString(
        conf.resolve("flink-conf.yaml"), "rest.address: 127.0.0.1\nrest.bind-address: 127.0.0.1\nrest.port: " + port + "\n");
    List<String> all = new ArrayList<>(args);
    all.add("--output=" + output);
    all.add("--flinkConfDir=" + conf);
    all.add("--logDir=" + logs.resolve("engine-logs"));
    ProcessBuilder pb = ForkedRun.start("flink", mainClass, extraClasspath, List.of(), all.toArray(new String[0]));
    Path log = logs.resolve("stream-" + System.nanoTime());
    Process p =
        pb.redirectOutput(log.resolveSibling(log.getFileName() + ".out").toFile())
            .redirectError(log.resolveSibling(log.getFileName() + ".err").toFile())
            .start();
    return new StreamingJob(p, log, output, port);
  }

  /** tripbeam's own job with {@code args}. */
  static StreamingJob start(Path logs, Path output, List<String> args) throws Exception {
    return start(logs, output, "dev.tripbeam.cli.TripCommand", "", args);
  }

  interface Check {
    boolean holds() throws Exception;
  }

  interface Count {
    long value() throws Exception;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits while the job runs until {@code done} holds; fails with the job's log when it ends first. */
  void await(String what, Check done) throws Exception {
    while (process.isAlive() && !done.holds()) {
      Thread.sleep(500);
    }
    assertTrue(process.isAlive(), "the stream ended while waiting for " + what + ":\n" + logTail());
  }

  /**
   * Waits until {@code count} reaches {@code expected}, then asserts it is exactly that: a count that overshoots (a
   * record read or written twice) fails at once with the numbers, instead of hanging.
   */
  void awaitCount(String what, long expected, Count count) throws Exception {
    await(what, () -> count.value() >= expected);
    assertEquals(expected, count.value(), what);
  }

  /** The number of rows read, from the job's count files. */
  long readRows() throws IOException {
    return StreamOutputs.counts(output).getOrDefault("read_rows", 0L);
  }

  /** Waits until the outputs reconcile (a count made as a day's copies are judged can land in a later pane). */
  void awaitReconciled() throws Exception {
    await("the counts to reconcile", () -> StreamOutputs.reconciliationError(output) == null);
    assertNull(StreamOutputs.reconciliationError(output));
  }

  /** The id of the job the embedded cluster runs, or null. */
  String runningJob() throws Exception {
    for (JsonNode j : new ObjectMapper().readTree(Clusters.http("http://127.0.0.1:" + restPort + "/jobs/overview")).get("jobs")) {
      if (j.get("state").asText().equals("RUNNING")) {
        return j.get("jid").asText();
      }
    }
    return null;
  }

  boolean waitFor(long minutes) throws InterruptedException {
    return process.waitFor(minutes, TimeUnit.MINUTES);
  }

  int exitValue() {
    return process.exitValue();
  }

  /** The console (stdout and stderr) and the engines' log file, whole. */
  List<String> texts() throws IOException {
    List<String> texts = new ArrayList<>();
    texts.add(Files.readString(log.resolveSibling(log.getFileName() + ".out")));
    texts.add(Files.readString(log.resolveSibling(log.getFileName() + ".err")));
    texts.addAll(PersonalData.files(log.getParent().resolve("engine-logs")).values());
    return texts;
  }

  /** The last 3,000 characters of the console. */
  String logTail() throws IOException {
    StringBuilder s = new StringBuilder();
    for (String suffix : List.of(".out", ".err")) {
      String text = Files.readString(log.resolveSibling(log.getFileName() + suffix));
      s.append(suffix).append(":\n").append(text, Math.max(0, text.length() - 3000), text.length());
    }
    return s.toString();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Kills the JVM with SIGKILL and waits for its end. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** The bundled app events (real trips' shapes, dirty), in pickup order as an app emits them. */
  static List<String> bundledEvents() throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(RealFiles.APP_JSONL))) {
      return StreamOutputs.inPickupOrder(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
    }
  }

  /**
   * An app event whose New York day is open for at least an hour after now: picked up an hour ago, or at today's New
   * York midnight when that is later (a day closes an hour after it ends: a pickup of yesterday could close while the
   * test runs), {@code minutes} long.
   */
  static String recentTrip(String id, String user, int puZone, int doZone, long fareCents, long tipCents, int minutes) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant midnight = ZonedDateTime.ofInstant(now, NEW_YORK).truncatedTo(ChronoUnit.DAYS).toInstant();
    Instant pickup = now.minus(1, ChronoUnit.HOURS).isBefore(midnight) ? midnight : now.minus(1, ChronoUnit.HOURS);
    DateTimeFormatter f = DateTimeFormatter.ISO_INSTANT;
    return "{\"trip_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"pickup_ts\":\"" + f.format(pickup) + "\","
        + "\"dropoff_ts\":\"" + f.format(pickup.plus(minutes, ChronoUnit.MINUTES)) + "\",\"pu_zone_id\":" + puZone
        + ",\"do_zone_id\":" + doZone + ",\"passenger_count\":1,\"distance_miles\":1.5,\"fare_cents\":" + fareCents
        + ",\"tip_cents\":" + tipCents + ",\"tolls_cents\":0,\"total_cents\":" + (fareCents + tipCents + 150)
        + ",\"payment_type\":1}";
  }
}
