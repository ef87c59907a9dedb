package dev.tripbeam.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The command line of the tripbeam job: parses and checks the options, keeps the terminal for tripbeam's own lines
 * (the engines' logs go to a per-run log file unless {@code --verbose}), reports progress, runs
 * {@link TripPipeline#run} and maps the outcome to an exit code: 0 done and reconciled, 1 the run failed or did not
 * reconcile, 2 bad options, 3 the lake is published but the serving database could not be loaded. Inputs: the
 * arguments; outputs: the console lines and the log file; options: {@link TripPipelineOptions} and the runner's.
 */
public final class TripCommand {
  static final String DEFAULT_RUNNER_PROPERTY = "tripbeam.defaultRunner";
  static final String VERBOSE_PROPERTY = "tripbeam.verbose";
  static final String LOG_DIR_PROPERTY = "tripbeam.logDir";
  static final String SPARK_PARALLELISM = "spark.default.parallelism";
  static final String AUTO_SPARK_PARALLELISM = "tripbeam.autoSparkParallelism";
  /** Exit code of a run whose lake publication committed but whose serving load failed. */
  public static final int SERVING_FAILED = 3;

  private TripCommand() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the process exit code (0 ok, 1 run failed, 2 bad options, 3 serving failed). */
  public static int execute(String[] args) {
    if (Arrays.asList(args).contains("--logFormat=json")) {
      TripConsole.structured();
    }
    var out = TripConsole.out();
    var err = TripConsole.err();
    String defaultRunner = System.getProperty(DEFAULT_RUNNER_PROPERTY);
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h") || arg.equals("--help=true")) {
        out.print(HelpText.render(defaultRunner));
        return 0;
      }
    }
    String refusal = CredentialGuard.refusal(args);
    if (refusal != null) {
      return usageError(refusal);
    }
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        return usageError("argument " + (i + 1) + " does not start with '--': options are --name=value");
      }
    }
    for (String arg : args) {
      if (arg.startsWith("--help=")) {
        PipelineOptionsFactory.fromArgs(arg).create();
        return 0;
      }
    }
    PipelineOptionsFactory.register(TripPipelineOptions.class);
    TripPipelineOptions options;
    CommandLine line = commandLine(args);
    try {
      PipelineOptionsFactory.Builder parsed = PipelineOptionsFactory.fromArgs(line.args());
      // A serve-only command runs no pipeline, so it needs no runner: it runs from the job jar with plain java too.
      options =
          (Arrays.asList(args).contains("--serveOnly=true") || Arrays.asList(args).contains("--serveOnly")
                  ? parsed
                  : parsed.withValidation())
              .as(TripPipelineOptions.class);
      TripPipelineOptions.validate(options);
    } catch (IllegalArgumentException e) {
      return usageError(firstLine(e.getMessage()));
    }
    TripConsole.context("run_id", options.getRunId());
    TripConsole.context("runner", options.getRunner().getSimpleName());
    TripConsole.context("lake_root", options.getOutput());
    TripConsole.context("source", options.getInput());
    boolean verbose = options.getVerbose() || Boolean.getBoolean(VERBOSE_PROPERTY);
    if (!verbose) {
      Path log = logDir(options).resolve(options.getRunId() + ".log");
      try {
        TripConsole.routeEnginesTo(log);
      } catch (IOException e) {
        return usageError("cannot write the log file " + log + ": " + e.getMessage());
      }
    }
    ProgressReporter progress = ProgressReporter.start(line.engine(), line.restBase(), TripConsole.err());
    try {
      TripPipeline.Outcome outcome = TripPipeline.run(options, progress::phase);
      progress.close();
      out.print(outcome.summary);
      if (TripConsole.logFile() != null) {
        out.println("  engine log  " + TripConsole.logFile());
      }
      int code = exitCode(outcome);
      writeCloudWatchMetrics(options, outcome);
      if (code == SERVING_FAILED && options.getServeOnly()) {
        TripConsole.error(
            "tripbeam: the serving database is not level with the lake: " + outcome.serving.cause()
                + "; run the same command again when it is reachable");
      } else if (code == SERVING_FAILED) {
        TripConsole.error(
            "tripbeam: the lake is published, but loading the serving database failed: " + outcome.serving.cause());
        TripConsole.error(
            "tripbeam: bring it level with the lake: the same command with --serveOnly=true --output="
                + options.getOutput() + " --servingJdbcUrl=" + options.getServingJdbcUrl());
      } else if (code != 0) {
        TripConsole.error(
            String.format(
                "tripbeam: the counts do not reconcile: read %d, but valid + duplicates + rejected = %d; nothing was "
                    + "published",
                outcome.report.read(),
                outcome.report.valid() + outcome.report.duplicates() + outcome.report.rejectedTotal()));
      }
      return code;
    } catch (TripPipeline.UserError e) {
      progress.close();
      TripConsole.error("tripbeam: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      progress.close();
      TripConsole.error("tripbeam: the run failed: " + rootCause(e));
      if (Boolean.getBoolean("tripbeam.debug")) {
        e.printStackTrace(err);
      } else {
        err.println("tripbeam: rerun with -Dtripbeam.debug=true for the stack trace");
      }
      logHint();
      return 1;
    } finally {
      // The engines stay routed to the log until the JVM exits: their shutdown hooks still write.
      System.out.flush();
    }
  }

  /**
   * The exit code of a finished run: 0 when it reconciled (or had nothing new to do) and its serving load (if any)
   * succeeded, 1 when it did not reconcile, {@value #SERVING_FAILED} when the lake was published but the serving load
   * failed.
   */
  public static int exitCode(TripPipeline.Outcome outcome) {
    if (outcome.report != null && !outcome.report.reconciled()) {
      return 1;
    }
    return outcome.serving != null && outcome.serving.failed() ? SERVING_FAILED : 0;
  }

  /** {@code --cloudWatchMetricsFile}: the run's metrics for {@code aws cloudwatch put-metric-data}, when it has a report. */
  private static void writeCloudWatchMetrics(TripPipelineOptions options, TripPipeline.Outcome outcome) {
    String file = options.getCloudWatchMetricsFile();
    if (file == null || file.isBlank() || outcome.report == null) {
      return;
    }
    try {
      Path path = Path.of(file).toAbsolutePath();
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      Files.writeString(path, outcome.report.cloudWatchMetrics(options.getOutput()));
    } catch (IOException e) {
      TripConsole.error("tripbeam: cannot write the CloudWatch metrics file " + file + ": " + e.getMessage());
    }
  }

  private static int usageError(String message) {
    TripConsole.error("tripbeam: " + message);
    TripConsole.error("tripbeam: see --help for the options");
    return 2;
  }

  private static void logHint() {
    if (TripConsole.logFile() != null) {
      TripConsole.err().println("tripbeam: the engines' log: " + TripConsole.logFile());
    }
  }

  private static Path logDir(TripPipelineOptions options) {
    String dir = options.getLogDir();
    if (dir == null || dir.isBlank()) {
      dir = System.getProperty(LOG_DIR_PROPERTY, "target/tripbeam-logs");
    }
    return Path.of(dir);
  }

  /** The arguments the job runs with, and where its progress can be read. */
  record CommandLine(String[] args, ProgressReporter.Engine engine, String restBase) {}

  /**
   * Adds the profile's default runner unless --runner is given, and the runners' settings tripbeam depends on: object
   * reuse, 16 MB S3 upload parts and (batch jobs on a cluster) blocking exchanges on Flink, a serialized storage level
   * and partitions sized to the input on Spark, and a REST address of the engine's own for the progress line.
   */
  static CommandLine commandLine(String[] args) {
    List<String> out = new ArrayList<>(Arrays.asList(args));
    String runner = System.getProperty(DEFAULT_RUNNER_PROPERTY);
    if (value(out, "runner") == null && runner != null && !runner.isBlank()) {
      out.add("--runner=" + runner);
    }
    ProgressReporter.Engine engine = ProgressReporter.Engine.NONE;
    String rest = null;
    if (isRunner(out, "FlinkRunner")) {
      if (value(out, "objectReuse") == null) {
        // Every element tripbeam passes is immutable, so Flink may hand objects between chained operators without a
        // copy (a serialize/deserialize round trip per operator otherwise): 82.6 s -> 67.7 s on 1M generated trips.
        out.add("--objectReuse=true");
      }
      if (!isStreaming(out) && value(out, "executionModeForBatch") == null && onFlinkCluster(out)) {
        // Blocking exchanges between stages: a lost TaskManager restarts only the regions that need its results
        // (the local fault test: 2 of 180 subtasks ran again; 66 with Beam's default, PIPELINED). Embedded runs keep
        // PIPELINED: one process, no node to lose, and no intermediate results written to disk.
        out.add("--executionModeForBatch=BATCH_FORCED");
      }
      if (value(out, "s3UploadBufferSizeBytes") == null) {
        // Each task writes its own processed-trip files, up to --openFilesPerTask at once; with Beam's 64 MB part
        // buffer per open S3 file, two tasks with 20 files each ran a 2 GiB heap out of memory.
        out.add("--s3UploadBufferSizeBytes=" + (16 << 20));
      }
      if (isStreaming(out)) {
        addFlinkCheckpointing(out);
        restoreEmbedded(out);
      }
      engine = ProgressReporter.Engine.FLINK;
      rest = flinkRest(out);
    }
    if (isRunner(out, "SparkRunner")) {
      if (value(out, "storageLevel") == null) {
        // Beam's Spark runner caches every multi-consumer RDD MEMORY_ONLY by default: out of heap at 5M trips.
        out.add("--storageLevel=MEMORY_AND_DISK_SER");
      }
      if (System.getProperty(SPARK_PARALLELISM) == null) {
        // SparkConf reads spark.* system properties. With local[N]'s default of N partitions, one partition held a
        // whole input file's trips and its cached block no longer fit the heap; run() sizes it to the input instead.
        System.setProperty(AUTO_SPARK_PARALLELISM, "true");
      }
      engine = ProgressReporter.Engine.SPARK;
      rest = sparkRest();
    }
    return new CommandLine(out.toArray(new String[0]), engine, rest);
  }

  private static boolean isStreaming(List<String> args) {
    return args.contains("--streaming") || "true".equals(value(args, "streaming"));
  }

  /**
   * The Flink settings of a streaming job: exactly-once checkpoints every {@code --checkpointInterval} into {@code
   * --checkpointPath} (default under the output), kept when the job is cancelled so that it can be restarted from them;
   * RocksDB state on a cluster (its state outgrows the heap), heap state embedded; Beam's UnboundedSource reading of
   * Kafka, whose offsets are part of the checkpoint. Values the user gives win; a duration that does not parse is left
   * to the option checks to report.
   */
  private static void addFlinkCheckpointing(List<String> out) {
    String interval = value(out, "checkpointInterval");
    try {
      long millis = StreamDurations.parse("checkpointInterval", interval == null ? "30s" : interval).getMillis();
      if (value(out, "checkpointingInterval") == null) {
        out.add("--checkpointingInterval=" + millis);
      }
    } catch (IllegalArgumentException e) {
      return;
    }
    String dir = value(out, "checkpointPath");
    String output = value(out, "output");
    if (dir == null && output != null) {
      dir = output + "/" + TripStreaming.STREAMING_DIR + "/checkpoints";
    }
    if (dir != null && value(out, "stateBackendStoragePath") == null) {
      String absolute = dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().normalize().toUri().toString();
      out.add("--stateBackendStoragePath=" + absolute);
    }
    if (value(out, "stateBackend") == null) {
      String master = value(out, "flinkMaster");
      boolean cluster =
          (master != null && !master.startsWith("[")) || System.getenv("FLINK_CONF_DIR") != null;
      out.add("--stateBackend=" + (cluster ? "rocksdb" : "filesystem"));
    }
    if (value(out, "externalizedCheckpointsEnabled") == null) {
      out.add("--externalizedCheckpointsEnabled=true");
      out.add("--retainExternalizedCheckpointsOnCancellation=true");
    }
    if (!out.stream().anyMatch(a -> a.startsWith("--experiments=") && a.contains("use_deprecated_read"))) {
      out.add("--experiments=use_deprecated_read");
    }
  }

  /**
   * Beam's Flink runner hands {@code --savepointPath} to a cluster only; the embedded mini-cluster ignores it and would
   * start from nothing. For an embedded run the path goes into a Flink configuration folder of tripbeam's instead
   * ({@code execution.savepoint.path}, after the lines of the user's {@code --flinkConfDir}/flink-conf.yaml), which it
   * honours.
   */
  private static void restoreEmbedded(List<String> out) {
    String savepoint = value(out, "savepointPath");
    String master = value(out, "flinkMaster");
    if (savepoint == null || (master != null && !master.startsWith("[")) || System.getenv("FLINK_CONF_DIR") != null) {
      return;
    }
    try {
      Path dir = Files.createTempDirectory("tripbeam-flink-conf");
      String conf = "";
      String userDir = value(out, "flinkConfDir");
      if (userDir != null && Files.exists(Path.of(userDir, "flink-conf.yaml"))) {
        conf = Files.readString(Path.of(userDir, "flink-conf.yaml"));
      }
      if (!conf.isEmpty() && !conf.endsWith("\n")) {
        conf += "\n";
      }
      Path file = dir.resolve("flink-conf.yaml");
      Files.writeString(file, conf + "execution.savepoint.path: " + savepoint + "\n");
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      out.removeIf(a -> a.startsWith("--flinkConfDir="));
      out.add("--flinkConfDir=" + dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a Flink configuration folder for the restore", e);
    }
  }

  private static String value(List<String> args, String name) {
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        return a.substring(name.length() + 3);
      }
    }
    return null;
  }

  private static boolean isRunner(List<String> args, String name) {
    String r = value(args, "runner");
    return r != null && (r.equals(name) || r.endsWith("." + name));
  }

  /**
   * Whether the job goes to a Flink cluster rather than an embedded mini-cluster: a remote {@code --flinkMaster}, or a
   * Flink configuration of its own (the Flink CLI sets {@code FLINK_CONF_DIR}, as on EMR).
   */
  static boolean onFlinkCluster(List<String> args) {
    String master = value(args, "flinkMaster");
    return (master != null && !master.startsWith("["))
        || value(args, "flinkConfDir") != null
        || System.getenv("FLINK_CONF_DIR") != null;
  }

  /**
   * Flink's REST address: the cluster named by --flinkMaster; for embedded Flink a free port on 127.0.0.1 set through
   * a Flink configuration folder of tripbeam's (added as --flinkConfDir); none when the user names a configuration
   * folder or the job runs inside the Flink CLI, whose configuration rules.
   */
  private static String flinkRest(List<String> args) {
    String master = value(args, "flinkMaster");
    if (master != null && !master.startsWith("[")) {
      return master.contains("://") ? master : "http://" + master;
    }
    if (value(args, "flinkConfDir") != null || System.getenv("FLINK_CONF_DIR") != null) {
      return null;
    }
    try {
      int port = freePort();
      Path dir = Files.createTempDirectory("tripbeam-flink-conf");
      Path conf = dir.resolve("flink-conf.yaml");
      Files.writeString(
          conf, "rest.address: 127.0.0.1\nrest.bind-address: 127.0.0.1\nrest.port: " + port + "\n");
      conf.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      args.add("--flinkConfDir=" + dir);
      return "http://127.0.0.1:" + port;
    } catch (IOException e) {
      return null;
    }
  }

  /** The Spark driver's REST API: on the UI port the user set, else on a free port; none when the UI is off. */
  private static String sparkRest() {
    if ("false".equals(System.getProperty("spark.ui.enabled"))) {
      return null;
    }
    if (System.getProperty("spark.ui.port") != null) {
      return "http://127.0.0.1:" + System.getProperty("spark.ui.port");
    }
    try {
      int port = freePort();
      System.setProperty("spark.ui.port", Integer.toString(port));
      return "http://127.0.0.1:" + port;
    } catch (IOException e) {
      return null;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid options";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

}
