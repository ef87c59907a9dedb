package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.cli.TripCommand;
import dev.tripbeam.fixtures.Clusters;
import dev.tripbeam.fixtures.DirectRun;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Generated;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.Ports;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.oracles.DuckDbReference;
import dev.tripbeam.run.Outcome;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jars on real multi-process clusters of this machine (runners-config/clusters): a Flink 1.19 standalone
 * session cluster (JobManager, two TaskManagers) and a Spark 3.5 standalone cluster (master, two workers), each
 * process its own JVM. The same slice (real TLC rows and a small generated app-format file) gives identical counts,
 * zone_daily, user_daily and processed trips on Direct, embedded
 * Flink, Spark local, the Flink cluster (submitted from a plain JVM and with the Flink CLI) and the Spark cluster
 * (from a plain JVM and with spark-submit). Killing a TaskManager or a worker with SIGKILL in the middle of a job on
 * the bundled real data (for Spark, the worker and its executor: a lost node) still gives exactly DuckDB's counts and
 * zone_daily. The faults are decided from the engines' state: the victim is killed once the engine's REST API shows
 * it running the job's work, and the failover is read back from the engine (Flink's exception history naming the
 * TaskManager; the Spark driver listing the executor as removed). Slow: runs with {@code -Dcluster.tests}.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRunnersTest {
  @TempDir static Path tmp;
  private String fullInput;

  @BeforeAll
  void startClusters() throws Exception {
    fullInput = String.join(",", RealFiles.CSV.stream().map(Path::toString).toList()) + "," + RealFiles.GREEN_PARQUET;
    Clusters.script("flink-cluster.sh", "start");
    Clusters.script("spark-cluster.sh", "start");
  }

  @AfterAll
  void stopClusters() throws Exception {
    try {
      Clusters.script("flink-cluster.sh", "stop");
    } finally {
      Clusters.script("spark-cluster.sh", "stop");
    }
  }

  private static ProcessBuilder flinkClient(Path output, String input) throws Exception {
    Path jar = Clusters.jobJar("flink");
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx1g"));
    command.addAll(Clusters.OPENS);
    command.addAll(
        List.of(
            "-cp", jar + File.pathSeparator + Clusters.clusterClasspath("flink"),
            TripCommand.class.getName(), "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:8081", "--parallelism=2",
            "--filesToStage=" + jar, "--input=" + input, "--output=" + output));
    return new ProcessBuilder(command);
  }

  private static ProcessBuilder sparkClient(Path output, String input, String... jvmFlags) throws Exception {
    Path jar = Clusters.jobJar("spark");
    String opens = String.join(" ", Clusters.OPENS);
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx2g"));
    command.addAll(Clusters.OPENS);
    command.addAll(List.of(jvmFlags));
    command.addAll(
        List.of(
            "-Dspark.executor.extraJavaOptions=" + opens, "-Dspark.executor.memory=1g",
            "-cp", jar + File.pathSeparator + Clusters.clusterClasspath("spark"),
            TripCommand.class.getName(), "--runner=SparkRunner", "--sparkMaster=spark://127.0.0.1:7077",
            "--filesToStage=" + jar, "--input=" + input, "--output=" + output));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb;
  }

  private static ProcessBuilder script(String name, String verb, Path output, String input) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash", Clusters.SCRIPTS.resolve(name).toString(), verb, Clusters.jobJar(name.startsWith("flink") ? "flink" : "spark").toString(),
            "--input=" + input, "--output=" + output);
    pb.environment().put("FLINK_CLUSTER_DIR", Clusters.WORK.resolve("flink").toString());
    pb.environment().put("SPARK_CLUSTER_DIR", Clusters.WORK.resolve("spark").toString());
    return pb;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static JsonNode report(Path output) throws Exception {
    return ForkedRun.report(output);
  }

  @Test
  @Order(1)
  void sliceIsIdenticalOnEveryRunnerAndCluster() throws Exception {
    Path slice = RealFiles.yellowSlice(tmp);
    Path app = Generated.appTrips(tmp.resolve("app"), "parquet", "--users=30", "--trips=300", "--days=2", "--seed=3");
    String input = slice + "," + app;
    Outcome direct = DirectRun.run(input, tmp.resolve("direct"));
    Map<String, Path> outputs = new LinkedHashMap<>();
    Map<String, ForkedRun> runs = new LinkedHashMap<>();
    runs.put("flink-embedded", ForkedRun.main("flink", tmp.resolve("flink-embedded"), "--input=" + input, "--output=" + tmp.resolve("flink-embedded")));
    runs.put("spark-local", ForkedRun.main("spark", tmp.resolve("spark-local"), "--input=" + input, "--output=" + tmp.resolve("spark-local")));
    runs.put("flink-cluster", ForkedRun.command(flinkClient(tmp.resolve("flink-cluster"), input), tmp.resolve("flink-cluster")));
    runs.put("flink-cli", ForkedRun.command(script("flink-cluster.sh", "run", tmp.resolve("flink-cli"), input), tmp.resolve("flink-cli")));
    runs.put("spark-cluster", ForkedRun.command(sparkClient(tmp.resolve("spark-cluster"), input), tmp.resolve("spark-cluster")));
    runs.put("spark-submit", ForkedRun.command(script("spark-cluster.sh", "submit", tmp.resolve("spark-submit"), input), tmp.resolve("spark-submit")));
    runs.forEach((name, run) -> assertEquals(0, run.exitCode, name + ": " + run));
    runs.forEach((name, run) -> outputs.put(name, run.output));

    JsonNode flinkJobs = new ObjectMapper().readTree(Clusters.http("http://127.0.0.1:8081/jobs/overview"));
    assertEquals(2, flinkJobs.get("jobs").size(), "the Flink cluster ran the two Flink jobs: " + flinkJobs);
    for (JsonNode job : flinkJobs.get("jobs")) {
      assertEquals("FINISHED", job.get("state").asText(), job::toString);
    }
    JsonNode sparkApps = new ObjectMapper().readTree(Clusters.http("http://127.0.0.1:8080/json/"));
    assertEquals(2, sparkApps.get("completedapps").size(), "the Spark cluster ran the two Spark jobs: " + sparkApps);

    Map<String, Long> counts =
        RealDataCrossCheckTest.reportCounts(new ObjectMapper().readTree(Path.of(direct.reportPath).toFile()));
    List<String> zoneDaily = Outputs.zoneDaily(tmp.resolve("direct"));
    String processed = Outputs.processedFingerprint(tmp.resolve("direct"));
    List<String> userDaily = Outputs.userDaily(tmp.resolve("direct"));
    Map<String, String> zones = Outputs.zones(tmp.resolve("direct"));
    assertTrue(zoneDaily.size() > 20, "the slice spans many zones");
    assertTrue(userDaily.size() > 20, "the app trips give user_daily rows");
    for (Map.Entry<String, Path> out : outputs.entrySet()) {
      assertEquals(counts, RealDataCrossCheckTest.reportCounts(report(out.getValue())), out.getKey() + " counts");
      assertEquals(zoneDaily, Outputs.zoneDaily(out.getValue()), out.getKey() + " zone_daily");
      assertEquals(processed, Outputs.processedFingerprint(out.getValue()), out.getKey() + " processed trips");
      assertEquals(userDaily, Outputs.userDaily(out.getValue()), out.getKey() + " user_daily");
      assertEquals(zones, Outputs.zones(out.getValue()), out.getKey() + ": every column of every zone");
    }
  }

  @Test
  @Order(2)
  void flinkJobSurvivesAKilledTaskManager() throws Exception {
    Path output = tmp.resolve("flink-fault");
    String victim = "taskmanager-1";
    String[] jobId = {null};
    runWithFault(
        flinkClient(output, fullInput),
        "flink-fault",
        () -> (jobId[0] = Clusters.runningFlinkJob()) != null && Clusters.flinkRunsSubtasksOn(jobId[0], victim),
        () -> {
          Clusters.kill9(Clusters.pid("flink", victim));
          // A lost node is replaced, as YARN allocates a new container on EMR.
          Clusters.script("flink-cluster.sh", "add-taskmanager", "taskmanager-3");
        });
    Clusters.assertFailedOverFrom(jobId[0], victim);
    assertEquals(
        "BATCH_FORCED",
        new ObjectMapper()
            .readTree(Clusters.http("http://127.0.0.1:8081/jobs/" + jobId[0] + "/config"))
            .at("/execution-config/execution-mode")
            .asText(),
        "tripbeam runs batch jobs on a cluster with blocking exchanges");
    assertRegionFailover(jobId[0], victim);
    assertMatchesDuckDb(output);
  }

  @Test
  @Order(3)
  void sparkJobSurvivesAKilledWorker() throws Exception {
    Path output = tmp.resolve("spark-fault");
    Path events = java.nio.file.Files.createDirectories(tmp.resolve("spark-events"));
    int uiPort = Ports.free();
    String driver = "http://127.0.0.1:" + uiPort + "/api/v1/applications";
    ProcessBuilder job =
        sparkClient(
            output, fullInput, "-Dspark.ui.port=" + uiPort, "-Dspark.eventLog.enabled=true",
            "-Dspark.eventLog.dir=" + events.toUri());
    String[] victim = {null};
    boolean[] removedSeen = {false};
    runWithFault(
        job,
        "spark-fault",
        () -> {
          // The victim is worker-1's executor, known by the --executor-id its worker launched it with; the fault hits
          // once the driver lists that executor with a task running.
          victim[0] = victim[0] != null ? victim[0] : executorIdOf(Clusters.pid("spark", "worker-1"));
          JsonNode executor = victim[0] == null ? null : sparkExecutor(driver, "executors", victim[0]);
          return executor != null && executor.get("activeTasks").asInt() > 0;
        },
        () -> {
          // A lost node: the worker and the executor JVM it launched, both with SIGKILL.
          long worker = Clusters.pid("spark", "worker-1");
          List<Long> executors =
              ProcessHandle.of(worker).map(p -> p.descendants().map(ProcessHandle::pid).toList()).orElseThrow();
          Clusters.kill9(worker);
          for (long executor : executors) {
            Clusters.kill9(executor);
          }
        },
        () -> {
          JsonNode executor = sparkExecutor(driver, "allexecutors", victim[0]);
          removedSeen[0] |= executor != null && !executor.get("isActive").asBoolean();
        });
    assertTrue(
        removedSeen[0] || executorRemovedInEventLog(events, victim[0]),
        "the driver lists executor " + victim[0] + " as removed (REST API or event log)");
    assertMatchesDuckDb(output);
  }

  /**
   * Region failover (BATCH_FORCED: blocking exchanges, each stage its own region): a subtask ran again only if its
   * first attempt ran on the lost TaskManager, or it read from a stage that had a subtask there (a partition it needed
   * was lost with it); a source subtask that ran elsewhere never runs again. With Beam's default PIPELINED exchanges a
   * lost TaskManager restarts whole pipelined regions across both TaskManagers (measured: 66 of 180 subtasks, sources
   * on the survivor among them), which this refuses.
   */
  private static void assertRegionFailover(String jobId, String victim) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode job = json.readTree(Clusters.http("http://127.0.0.1:8081/jobs/" + jobId));
    Map<String, List<String>> inputs = new LinkedHashMap<>();
    for (JsonNode node : job.at("/plan/nodes")) {
      List<String> from = new ArrayList<>();
      node.path("inputs").forEach(i -> from.add(i.get("id").asText()));
      inputs.put(node.get("id").asText(), from);
    }
    Map<String, List<JsonNode>> subtasks = new LinkedHashMap<>();
    java.util.Set<String> onVictim = new java.util.HashSet<>();
    for (JsonNode vertex : job.get("vertices")) {
      String id = vertex.get("id").asText();
      List<JsonNode> list = new ArrayList<>();
      for (JsonNode subtask :
          json.readTree(Clusters.http("http://127.0.0.1:8081/jobs/" + jobId + "/vertices/" + id)).get("subtasks")) {
        assertEquals("FINISHED", subtask.get("status").asText(), subtask::toString);
        String first =
            subtask.get("attempt").asInt() == 0
                ? subtask.path("taskmanager-id").asText()
                : json.readTree(
                        Clusters.http("http://127.0.0.1:8081/jobs/" + jobId + "/vertices/" + id + "/subtasks/"
                            + subtask.get("subtask").asInt() + "/attempts/0"))
                    .path("taskmanager-id")
                    .asText();
        ((com.fasterxml.jackson.databind.node.ObjectNode) subtask).put("first-taskmanager", first);
        if (first.equals(victim)) {
          onVictim.add(id);
        }
        list.add(subtask);
      }
      subtasks.put(id, list);
    }
    int again = 0;
    int total = 0;
    int parallelism = 0;
    List<String> elsewhere = new ArrayList<>();
    List<String> wide = new ArrayList<>();
    for (Map.Entry<String, List<JsonNode>> vertex : subtasks.entrySet()) {
      boolean readsFromVictim = inputs.getOrDefault(vertex.getKey(), List.of()).stream().anyMatch(onVictim::contains);
      parallelism = Math.max(parallelism, vertex.getValue().size());
      for (JsonNode subtask : vertex.getValue()) {
        total++;
        if (subtask.get("attempt").asInt() > 0) {
          again++;
          String name = vertex.getKey() + "#" + subtask.get("subtask").asInt();
          if (!subtask.get("first-taskmanager").asText().equals(victim)) {
            elsewhere.add(name);
            if (!readsFromVictim) {
              wide.add(name + " (first on " + subtask.get("first-taskmanager").asText() + ")");
            }
          }
        }
      }
    }
    String counts = again + " of " + total + " subtasks ran again, " + elsewhere.size() + " first elsewhere";
    assertTrue(again > 0, "the lost TaskManager's work ran again");
    assertEquals(List.of(), wide, "subtasks the loss did not touch ran again: " + counts);
    // The readers of a lost partition that were running on another TaskManager: at most one stage's worth.
    assertTrue(elsewhere.size() <= parallelism, "more than one stage ran again elsewhere: " + counts);
  }

  /** Whether the Flink TaskManager named {@code taskManager} runs a subtask of the job. */
  /** The executor id a Spark worker's executor JVM was started with, or null before it runs. */
  private static String executorIdOf(long workerPid) throws Exception {
    for (ProcessHandle child : ProcessHandle.of(workerPid).orElseThrow().descendants().toList()) {
      Path cmdline = Path.of("/proc", Long.toString(child.pid()), "cmdline");
      if (!java.nio.file.Files.exists(cmdline)) {
        continue;
      }
      List<String> args = List.of(java.nio.file.Files.readString(cmdline).split("\u0000"));
      int i = args.indexOf("--executor-id");
      if (i >= 0 && i + 1 < args.size()) {
        return args.get(i + 1);
      }
    }
    return null;
  }

  /** One executor of the running Spark application from the driver's REST API ({@code executors} or all). */
  private static JsonNode sparkExecutor(String driver, String list, String executorId) {
    try {
      ObjectMapper json = new ObjectMapper();
      JsonNode apps = json.readTree(Clusters.http(driver));
      if (apps == null || apps.isEmpty()) {
        return null;
      }
      for (JsonNode e : json.readTree(Clusters.http(driver + "/" + apps.get(0).get("id").asText() + "/" + list))) {
        if (e.get("id").asText().equals(executorId)) {
          return e;
        }
      }
    } catch (Exception e) {
      // The driver is not up yet or has ended: nothing listed.
    }
    return null;
  }

  /** Whether the driver's event log records the removal of {@code executorId}. */
  private static boolean executorRemovedInEventLog(Path events, String executorId) throws Exception {
    try (var files = java.nio.file.Files.list(events)) {
      for (Path f : files.toList()) {
        for (String line : java.nio.file.Files.readAllLines(f)) {
          if (line.contains("\"Event\":\"SparkListenerExecutorRemoved\"")
              && line.contains("\"Executor ID\":\"" + executorId + "\"")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** A check of a fault test. */
  private interface Check {
    boolean holds() throws Exception;
  }

  /** The fault itself, or an observation while the job recovers. */
  private interface Action {
    void run() throws Exception;
  }

  /**
   * Starts {@code job}, waits until {@code busy} holds (the victim works for the job, as the engine's REST API shows),
   * applies {@code fault}, then runs {@code watch} until the job ends, and asserts it ended successfully.
   */
  private static void runWithFault(ProcessBuilder job, String name, Check busy, Action fault, Action... watch)
      throws Exception {
    Process process =
        job.redirectOutput(tmp.resolve(name + ".out").toFile()).redirectError(tmp.resolve(name + ".err").toFile())
            .start();
    while (process.isAlive() && !busy.holds()) {
      Thread.sleep(100);
    }
    assertTrue(process.isAlive(), name + ": the job ended before its victim ran a task");
    fault.run();
    while (process.isAlive()) {
      for (Action w : watch) {
        w.run();
      }
      Thread.sleep(200);
    }
    String err = java.nio.file.Files.readString(tmp.resolve(name + ".err"));
    assertEquals(0, process.exitValue(), err);
  }

  private static void assertMatchesDuckDb(Path output) throws Exception {
    try (DuckDbReference duck =
        new DuckDbReference(RealFiles.CSV, List.of(RealFiles.GREEN_PARQUET), RealFiles.ZONES)) {
      assertEquals(duck.counts(), RealDataCrossCheckTest.reportCounts(report(output)));
      RealDataCrossCheckTest.assertZoneDailyEquals(duck.zoneDaily(), output);
      long unique = report(output).at("/counts/valid").asLong();
      assertEquals(Long.toString(unique), Outputs.processedFingerprint(output).split("\\|")[0], "no trip lost or doubled");
    }
  }
}
