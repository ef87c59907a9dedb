package dev.tripbeam.bench;

import dev.tripbeam.fixtures.Clusters;
import dev.tripbeam.fixtures.Generated;
import dev.tripbeam.fixtures.LocalKafka;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.StreamOutputs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The streaming benchmark (docs/benchmarks.md, "Streaming"), on the local Flink standalone cluster (JobManager and two
 * TaskManagers, RocksDB state) and a local Kafka broker, both started and stopped by PID by this program.
 *
 * <p>Arm {@code throughput}: EVENTS generated app events (sorted by pickup) are in the topic before the job starts;
 * the sustained rate is the events read between the first and the last committed count pane over the time between
 * them (the job's start-up excluded). Arm {@code latency}: a producer sends RATE events per second for SECONDS seconds,
 * each picked up 10 minutes before it is sent and named by its send time; the latency of an event is the time from
 * its send until a processed-trip file holding it is visible (polled every 50 ms), p50 and p99 over all events.
 * Prints a TSV line per arm: arm, events, seconds, events_per_s, p50_ms, p99_ms, pane_s, checkpoint_s, and the
 * job's maximum out-of-orderness (the fifth argument, default 5m; EVENTS 0 skips the throughput arm).
 */
public final class StreamingBenchmark {
  /** The pane and checkpoint interval of {@link Clusters#flinkStreamingClient}. */
  private static final String PANE = "2s";

  private static final String CHECKPOINT = "2s";

  private StreamingBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = Long.parseLong(args[0]);
    int rate = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    Path work = Path.of(args[3]);
    String outOfOrderness = args.length > 4 ? args[4] : "5m";
    System.out.println("arm\tevents\tseconds\tevents_per_s\tp50_ms\tp99_ms\tpane_s\tcheckpoint_s\tout_of_order");
    Clusters.script("flink-cluster.sh", "start");
    try (LocalKafka kafka = LocalKafka.start(work.resolve("kafka"))) {
      if (events > 0) {
        throughput(kafka, events, work, outOfOrderness);
      }
      latency(kafka, rate, seconds, work, outOfOrderness);
    } finally {
      Clusters.script("flink-cluster.sh", "stop");
    }
  }

  private static void throughput(LocalKafka kafka, long events, Path work, String outOfOrderness) throws Exception {
    List<String> lines =
        StreamOutputs.inPickupOrder(
            Files.readAllLines(
                Generated.appTrips(work.resolve("generated"), "jsonl", "--users=" + Math.max(100, events / 20),
                    "--trips=" + events, "--days=7", "--seed=21")));
    kafka.createTopic("throughput", 2);
    kafka.produce("throughput", 2, lines);
    Path output = work.resolve("throughput-lake");
    Process job = start(kafka, "throughput", output, work.resolve("throughput"), outOfOrderness);
    long firstAt = 0;
    long firstRead = 0;
    long read = 0;
    while (job.isAlive() && read < lines.size()) {
      read = StreamOutputs.counts(output).getOrDefault("read_rows", 0L);
      if (firstAt == 0 && read > 0) {
        firstAt = System.nanoTime();
        firstRead = read;
      }
      Thread.sleep(50);
    }
    long lastAt = System.nanoTime();
    stop(job);
    double secs = (lastAt - firstAt) / 1e9;
    System.out.printf(
        Locale.ROOT, "throughput\t%d\t%.1f\t%.0f\t\t\t%s\t%s\t%s%n", lines.size(), secs, (read - firstRead) / secs,
        PANE, CHECKPOINT, outOfOrderness);
  }

  private static void latency(LocalKafka kafka, int rate, int seconds, Path work, String outOfOrderness)
      throws Exception {
    kafka.createTopic("latency", 2);
    Path output = work.resolve("latency-lake");
    Process job = start(kafka, "latency", output, work.resolve("latency"), outOfOrderness);
    while (job.isAlive() && Clusters.runningFlinkJob() == null) {
      Thread.sleep(100);
    }
    Thread.sleep(10_000);
    Map<String, Long> sentAt = Collections.synchronizedMap(new HashMap<>());
    Thread producer = new Thread(() -> send(kafka, rate, seconds, sentAt));
    producer.start();
    Map<String, Long> seenAt = new HashMap<>();
    Set<Path> seenFiles = new HashSet<>();
    Path trips = output.resolve("processed/trips");
    long total = (long) rate * seconds;
    while (job.isAlive() && seenAt.size() < total) {
      if (Files.isDirectory(trips)) {
        List<Path> fresh = new ArrayList<>();
        try (Stream<Path> files = Files.walk(trips)) {
          files.filter(f -> f.toString().endsWith(".parquet") && !seenFiles.contains(f)).forEach(fresh::add);
        }
        long now = System.currentTimeMillis();
        for (Path f : fresh) {
          seenFiles.add(f);
          for (String id : Outputs.query("select trip_id from read_parquet('" + f + "')")) {
            seenAt.putIfAbsent(id, now);
          }
        }
      }
      Thread.sleep(50);
    }
    producer.join();
    stop(job);
    List<Long> latencies = new ArrayList<>();
    seenAt.forEach((id, at) -> latencies.add(at - sentAt.get(id)));
    Collections.sort(latencies);
    System.out.printf(
        Locale.ROOT, "latency\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s%n", latencies.size(), seconds, rate,
        latencies.get(latencies.size() / 2), latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1), PANE,
        CHECKPOINT, outOfOrderness);
  }

  /** Sends {@code rate} events a second for {@code seconds} seconds, noting each one's send time by trip id. */
  private static void send(LocalKafka kafka, int rate, int seconds, Map<String, Long> sentAt) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    DateTimeFormatter f = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      long start = System.nanoTime();
      for (long i = 0; i < (long) rate * seconds; i++) {
        long due = start + i * 1_000_000_000L / rate;
        while (System.nanoTime() < due) {
          Thread.onSpinWait();
        }
        String id = "lat-" + i;
        LocalDateTime pickup = LocalDateTime.now(ZoneOffset.UTC).minusMinutes(10).withNano(0);
        String line =
            "{\"trip_id\":\"" + id + "\",\"user_id\":\"u" + (i % 1000) + "\",\"pickup_ts\":\"" + f.format(pickup)
                + "Z\",\"dropoff_ts\":\"" + f.format(pickup.plusMinutes(8)) + "Z\",\"pu_zone_id\":142,"
                + "\"do_zone_id\":43,\"passenger_count\":1,\"distance_miles\":1.5,\"fare_cents\":1200,"
                + "\"tip_cents\":100,\"tolls_cents\":0,\"total_cents\":1450,\"payment_type\":1}";
        sentAt.put(id, System.currentTimeMillis());
        producer.send(new ProducerRecord<>("latency", (int) (i % 2), null, line));
      }
      producer.flush();
    }
  }

  private static Process start(LocalKafka kafka, String topic, Path output, Path log, String outOfOrderness)
      throws Exception {
    return Clusters.flinkStreamingClient(
            kafka.bootstrap(), topic, output, "--maxOutOfOrderness=" + outOfOrderness)
        .redirectOutput(log.resolveSibling(log.getFileName() + ".out").toFile())
        .redirectError(log.resolveSibling(log.getFileName() + ".err").toFile())
        .start();
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
