package dev.tripbeam.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real clusters of runners-config/clusters (a Flink standalone session cluster, a Spark standalone cluster),
 * started and stopped through their scripts, and the job jars that `package` built for them.
 */
final class Clusters {
  static final Path ROOT = EmrBootstrapTest.ROOT;
  static final Path SCRIPTS = ROOT.resolve("runners-config/clusters");
  static final Path WORK = ROOT.resolve("tests/target/clusters");
  static final List<String> OPENS =
      List.of(
          "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED");

  private Clusters() {}

  /** Runs a cluster script to its end and returns its output; fails on a non-zero exit. */
  static String script(String name, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPTS.resolve(name).toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("FLINK_CLUSTER_DIR", WORK.resolve("flink").toString());
    pb.environment().put("SPARK_CLUSTER_DIR", WORK.resolve("spark").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(name + " " + String.join(" ", args) + " failed:\n" + out);
    }
    return out;
  }

  static long pid(String engine, String process) throws IOException {
    return Long.parseLong(Files.readString(WORK.resolve(engine).resolve("pids").resolve(process + ".pid")).trim());
  }

  /** The job jar a runner module's `package` built. */
  static Path jobJar(String runner) throws IOException {
    Path target = ROOT.resolve("runners-config").resolve(runner).resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(f -> f.getFileName().toString().matches("tripbeam-" + runner + "-.*\\.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no job jar in " + target + ": build with -Dcluster.tests"));
    }
  }

  /** The cluster's own jars (Flink's lib/, Spark's jars/), for a client that submits from a plain JVM. */
  static String clusterClasspath(String engine) throws IOException {
    Path lib = engine.equals("flink") ? WORK.resolve("flink/flink-home/lib") : WORK.resolve("spark/spark-home/jars");
    try (Stream<Path> jars = Files.list(lib)) {
      return String.join(File.pathSeparator, jars.map(Path::toString).sorted().toList());
    }
  }

  /**
   * A client JVM that submits the streaming job jar to the standalone Flink cluster (parallelism 2) and stays attached
   * while the job runs: Kafka topic {@code topic} at {@code bootstrap} into {@code output}, panes and checkpoints
   * every 2 s, and {@code extra} options.
   */
  static ProcessBuilder flinkStreamingClient(String bootstrap, String topic, Path output, String... extra)
      throws IOException {
    Path jar = jobJar("flink");
    List<String> command =
        new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    command.addAll(OPENS);
    command.addAll(
        List.of(
            "-cp", jar + File.pathSeparator + clusterClasspath("flink"),
            "dev.tripbeam.cli.TripCommand", "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:8081",
            "--parallelism=2", "--filesToStage=" + jar, "--streaming=true", "--kafkaBootstrapServers=" + bootstrap,
            "--kafkaTopic=" + topic, "--output=" + output, "--paneInterval=2s", "--checkpointInterval=2s"));
    command.addAll(Arrays.asList(extra));
    return new ProcessBuilder(command);
  }

  static String http(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  static void kill9(long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -9 " + pid + " failed");
    }
  }

  /** The id of the running job on the standalone cluster, or null. */
  static String runningFlinkJob() throws Exception {
    for (JsonNode j : new ObjectMapper().readTree(Clusters.http("http://127.0.0.1:8081/jobs/overview")).get("jobs")) {
      if (j.get("state").asText().equals("RUNNING")) {
        return j.get("jid").asText();
      }
    }
    return null;
  }

  /**
   * The job's exception history on the standalone cluster, after asserting it has an entry naming {@code taskManager}
   * (a failover from that TaskManager's loss).
   */
  static JsonNode assertFailedOverFrom(String jobId, String taskManager) throws Exception {
    JsonNode history =
        new ObjectMapper()
            .readTree(http("http://127.0.0.1:8081/jobs/" + jobId + "/exceptions"))
            .at("/exceptionHistory/entries");
    boolean named = false;
    for (JsonNode entry : history) {
      named |= entry.toString().contains(taskManager);
    }
    org.junit.jupiter.api.Assertions.assertTrue(
        named, "the exception history names the killed TaskManager " + taskManager + ": " + history);
    return history;
  }

  /** Whether a TaskManager (by its resource id) runs a subtask of the job, as Flink's REST API tells. */
  static boolean flinkRunsSubtasksOn(String jobId, String taskManager) throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (JsonNode vertex : json.readTree(Clusters.http("http://127.0.0.1:8081/jobs/" + jobId)).get("vertices")) {
      if (!vertex.get("status").asText().equals("RUNNING")) {
        continue;
      }
      JsonNode tms =
          json.readTree(
              Clusters.http(
                  "http://127.0.0.1:8081/jobs/" + jobId + "/vertices/" + vertex.get("id").asText() + "/taskmanagers"));
      for (JsonNode tm : tms.get("taskmanagers")) {
        JsonNode counts = tm.has("status-counts") ? tm.get("status-counts") : tm.path("statusCounts");
        if (tm.path("taskmanager-id").asText().equals(taskManager) && counts.path("RUNNING").asInt() > 0) {
          return true;
        }
      }
    }
    return false;
  }
}
