package dev.tripbeam.tests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real Kafka broker (KRaft mode, its own JVM from Maven Central jars) on 127.0.0.1, started and stopped by its PID
 * through runners-config/clusters/kafka-broker.sh, with a producer for the tests.
 */
final class LocalKafka implements AutoCloseable {
  final int port;
  private final Path dir;

  private LocalKafka(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a broker whose data and log live under {@code dir}, on a free port (and the next one, its controller's). */
  static LocalKafka start(Path dir) throws Exception {
    int port = Ports.freePair();
    LocalKafka kafka = new LocalKafka(dir, port);
    kafka.script("start");
    return kafka;
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
    }
  }

  /** Sends {@code lines} in order, line i to partition i mod {@code partitions}, and waits for every acknowledgement. */
  void produce(String topic, int partitions, List<String> lines) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, lines.get(i))));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
  }

  long pid() throws IOException {
    return Long.parseLong(java.nio.file.Files.readString(dir.resolve("pids/broker.pid")).trim());
  }

  @Override
  public void close() throws Exception {
    script("stop");
  }

  private void script(String verb) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("bash", Clusters.SCRIPTS.resolve("kafka-broker.sh").toString(), verb)
            .redirectErrorStream(true);
    pb.environment().put("KAFKA_DIR", dir.toString());
    pb.environment().put("KAFKA_PORT", Integer.toString(port));
    pb.environment().put("KAFKA_HOME_DIR", Clusters.WORK.resolve("kafka-home").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("kafka-broker.sh " + verb + " failed:\n" + out);
    }
  }
}
