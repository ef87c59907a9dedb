package dev.tripbeam.bench;

import dev.tripbeam.fixtures.Clusters;
import dev.tripbeam.fixtures.Generated;
import dev.tripbeam.fixtures.LocalKafka;
import dev.tripbeam.fixtures.LocalPostgres;
import dev.tripbeam.fixtures.StreamOutputs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The streaming benchmark (docs/benchmarks.md, "Streaming"), on the local Flink standalone cluster (JobManager and two
 * TaskManagers, RocksDB state), a local Kafka broker and a local PostgreSQL server, all started and stopped by PID by
 * this program on the same machine.
 *
 * <p>Arm {@code throughput}: EVENTS generated app events (sorted by pickup) are in a 2-partition topic before the job
 * starts; the sustained rate is the events read between the first and the last committed count pane over the time
 * between them (the job's start-up excluded). Arm {@code latency}: {@link LiveFeed} sends RATE events a second for
 * SECONDS seconds as a live app would, with {@code --servingJdbcUrl}; {@link LatencyProbe} times each event from its
 * send to the first processed-trip file holding it and to the first {@code user_daily} row counting it. For each arm
 * the TaskManagers' CPU time (user and system, from {@code /proc}) per event. Prints a TSV line per arm (the columns of
 * {@link #HEADER}) and, for the latency arm, the p50 of each tenth of the events in send order (a backlog grows along
 * them, a structural wait does not). Arguments: EVENTS (0 skips the throughput arm), RATE, SECONDS, a work folder, the
 * job's maximum out-of-orderness, then extra job arguments for A/B runs.
 */
public final class StreamingBenchmark {
  static final String HEADER =
      "arm\tevents\tseconds\tevents_per_s\tfile_p50_ms\tfile_p95_ms\tfile_p99_ms\tpg_p50_ms\tpg_p95_ms\tpg_p99_ms"
          + "\ttm_cpu_us_per_event\tpane_s\tcheckpoint_s\tout_of_order\tjob_args";

  /** The job's default pane and checkpoint intervals ({@code TripStreamingOptions}), unless JOB_ARGS set them. */
  private static final String PANE = "default";

  private static final String CHECKPOINT = "default";

  private StreamingBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = Long.parseLong(args[0]);
    int rate = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    Path work = Path.of(args[3]);
    String outOfOrderness = args.length > 4 ? args[4] : "5m";
    List<String> jobArgs = new ArrayList<>(args.length > 5 ? Arrays.asList(args).subList(5, args.length) : List.of());
    jobArgs.add("--maxOutOfOrderness=" + outOfOrderness);
    System.out.println(HEADER);
    String password = "bench-" + Long.toHexString(System.nanoTime());
    try (LocalPostgres pg = LocalPostgres.start(work.resolve("pg"), 0, password);
        LocalKafka kafka = LocalKafka.start(work.resolve("kafka"))) {
      Map<String, String> login = Map.of("PGUSER", LocalPostgres.USER, "PGPASSWORD", password);
      Clusters.script(login, "flink-cluster.sh", "start");
      try {
        if (events > 0) {
          throughput(kafka, events, work, jobArgs);
        }
        latency(kafka, pg, login, rate, seconds, work, jobArgs);
      } finally {
        Clusters.script("flink-cluster.sh", "stop");
      }
    }
  }

  private static void throughput(LocalKafka kafka, long events, Path work, List<String> jobArgs) throws Exception {
    List<String> lines =
        StreamOutputs.inPickupOrder(
            Files.readAllLines(
                Generated.appTrips(work.resolve("generated"), "jsonl", "--users=" + Math.max(100, events / 20),
                    "--trips=" + events, "--days=7", "--seed=21")));
    kafka.createTopic("throughput", 2);
    kafka.produce("throughput", 2, lines);
    Path output = work.resolve("throughput-lake");
    Process job = start(kafka, "throughput", output, work.resolve("throughput"), jobArgs, Map.of());
    long firstAt = 0;
    long firstRead = 0;
    long read = 0;
    long cpuAtFirst = 0;
    while (job.isAlive() && read < lines.size()) {
      read = StreamOutputs.counts(output).getOrDefault("read_rows", 0L);
      if (firstAt == 0 && read > 0) {
        firstAt = System.nanoTime();
        firstRead = read;
        cpuAtFirst = taskManagerCpuMicros();
      }
      Thread.sleep(50);
    }
    long lastAt = System.nanoTime();
    long cpu = taskManagerCpuMicros() - cpuAtFirst;
    stop(job);
    double secs = (lastAt - firstAt) / 1e9;
    long counted = read - firstRead;
    System.out.printf(
        Locale.ROOT, "throughput\t%d\t%.1f\t%.0f\t\t\t\t\t\t\t%.0f\t%s\t%s\t%s%n", lines.size(), secs, counted / secs,
        (double) cpu / counted, PANE, CHECKPOINT, describe(jobArgs));
  }

  private static void latency(
      LocalKafka kafka, LocalPostgres pg, Map<String, String> login, int rate, int seconds, Path work,
      List<String> jobArgs) throws Exception {
    kafka.createTopic("latency", 2);
    Path output = work.resolve("latency-lake");
    List<String> withServing = new ArrayList<>(jobArgs);
    withServing.add("--servingJdbcUrl=" + pg.jdbcUrl());
    Process job = start(kafka, "latency", output, work.resolve("latency"), withServing, login);
    while (job.isAlive() && Clusters.runningFlinkJob() == null) {
      Thread.sleep(100);
    }
    Thread.sleep(10_000);
    LiveFeed feed = new LiveFeed(kafka.bootstrap(), "latency", rate, seconds, 20_000, 21L);
    LatencyProbe probe = new LatencyProbe(feed, output.resolve("processed/trips"), pg);
    long cpuBefore = taskManagerCpuMicros();
    Thread producer = new Thread(feed, "live-feed");
    producer.start();
    probe.watch(job, Math.max(60_000L, seconds * 2_000L));
    producer.join();
    if (!job.isAlive()) {
      System.err.println("the latency job ended early:\n" + Files.readString(work.resolve("latency.err")));
    }
    long cpu = taskManagerCpuMicros() - cpuBefore;
    String checkpoints = checkpointSummary();
    stop(job);
    long[] files = probe.fileLatencies();
    long[] rows = probe.rowLatencies();
    System.out.printf(
        Locale.ROOT, "latency\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.0f\t%s\t%s\t%s%n", feed.sent(), seconds, rate,
        pct(files, 50), pct(files, 95), pct(files, 99), pct(rows, 50), pct(rows, 95), pct(rows, 99),
        (double) cpu / feed.sent(), PANE, CHECKPOINT, describe(jobArgs));
    System.err.println("file latency p50 by tenth of the events in send order (ms): " + probe.fileDeciles());
    System.err.println("user_daily latency p50 by tenth of the events in send order (ms): " + probe.rowDeciles());
    System.err.println("events never seen in a file: " + probe.missingFiles() + ", in user_daily: " + probe.missingRows());
    System.err.println("checkpoints of the latency job: " + checkpoints);
  }

  static long pct(long[] sorted, int p) {
    return sorted.length == 0 ? -1 : sorted[Math.max(0, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
  }

  private static String describe(List<String> jobArgs) {
    String out = "";
    String rest = "";
    for (String a : jobArgs) {
      if (a.startsWith("--maxOutOfOrderness=")) {
        out = a.substring(a.indexOf('=') + 1);
      } else {
        rest = rest.isEmpty() ? a : rest + " " + a;
      }
    }
    return out + "\t" + rest;
  }

  /** User and system CPU time, in microseconds, of both TaskManagers so far (from {@code /proc/PID/stat}). */
  static long taskManagerCpuMicros() throws Exception {
    long ticks = 0;
    for (String tm : List.of("taskmanager-1", "taskmanager-2")) {
      String stat = Files.readString(Path.of("/proc", Long.toString(Clusters.pid("flink", tm)), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
    return ticks * 10_000L;
  }

  /** The job on the cluster with the default pane and checkpoint intervals (the tests' client sets 2 s for both). */
  private static Process start(
      LocalKafka kafka, String topic, Path output, Path log, List<String> jobArgs, Map<String, String> env)
      throws Exception {
    ProcessBuilder client = Clusters.flinkStreamingClient(kafka.bootstrap(), topic, output, jobArgs.toArray(new String[0]));
    client.environment().putAll(env);
    client.command().removeIf(a -> a.equals("--paneInterval=2s") || a.equals("--checkpointInterval=2s"));
    return client
        .redirectOutput(log.resolveSibling(log.getFileName() + ".out").toFile())
        .redirectError(log.resolveSibling(log.getFileName() + ".err").toFile())
        .start();
  }

  /** The running job's checkpoint counts and end-to-end durations (Flink REST), for telling a checkpoint wait apart. */
  private static String checkpointSummary() throws Exception {
    String id = Clusters.runningFlinkJob();
    if (id == null) {
      return "no running job";
    }
    com.fasterxml.jackson.databind.JsonNode c =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Clusters.http("http://127.0.0.1:8081/jobs/" + id + "/checkpoints"));
    com.fasterxml.jackson.databind.JsonNode e2e = c.at("/summary/end_to_end_duration");
    return "completed " + c.at("/counts/completed").asLong() + ", failed " + c.at("/counts/failed").asLong()
        + ", end-to-end ms p50 " + e2e.path("p50").asLong() + " p99 " + e2e.path("p99").asLong() + " max "
        + e2e.path("max").asLong() + ", checkpointed size max " + c.at("/summary/checkpointed_size/max").asLong()
        + ", triggered at (s since the first) " + triggers(c.path("history"));
  }

  private static String triggers(com.fasterxml.jackson.databind.JsonNode history) {
    List<Long> at = new ArrayList<>();
    history.forEach(h -> at.add(h.path("trigger_timestamp").asLong()));
    java.util.Collections.sort(at);
    List<Long> seconds = new ArrayList<>();
    at.forEach(t -> seconds.add((t - at.get(0)) / 1000));
    return seconds.toString();
  }

  /** Cancels the running job through the cluster's REST API, then waits for its client to end. */
  private static void stop(Process job) throws Exception {
    String id = Clusters.runningFlinkJob();
    if (id != null) {
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:8081/jobs/" + id + "?mode=cancel"))
                  .method("PATCH", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    }
    if (!job.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      job.destroyForcibly().waitFor();
    }
  }
}
