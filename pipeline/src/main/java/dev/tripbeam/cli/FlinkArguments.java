package dev.tripbeam.cli;

import dev.tripbeam.lake.LakeLayout;
import dev.tripbeam.options.StreamDurations;
import dev.tripbeam.options.TripStreamingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Flink settings tripbeam depends on, added to the arguments unless the user gave them: object reuse, 16 MB S3
 * upload parts, blocking exchanges for batch jobs on a cluster, the checkpoint settings of a streaming job, and a REST
 * address of the engine's own for the progress line.
 */
final class FlinkArguments {
  private FlinkArguments() {}

  /** Adds the settings to {@code out} and returns the REST address to read progress from (null: none). */
  static String add(List<String> out) {
    if (Arguments.value(out, "objectReuse") == null) {
      // Every element tripbeam passes is immutable, so Flink may hand objects between chained operators without a
      // copy (a serialize/deserialize round trip per operator otherwise): 82.6 s -> 67.7 s on 1M generated trips.
      out.add("--objectReuse=true");
    }
    boolean streaming = Arguments.isStreaming(out);
    if (!streaming && Arguments.value(out, "executionModeForBatch") == null && Arguments.onFlinkCluster(out)) {
      // Blocking exchanges between stages: a lost TaskManager restarts only the regions that need its results
      // (the local fault test: 2 of 180 subtasks ran again; 66 with Beam's default, PIPELINED). Embedded runs keep
      // PIPELINED: one process, no node to lose, and no intermediate results written to disk.
      out.add("--executionModeForBatch=BATCH_FORCED");
    }
    if (Arguments.value(out, "s3UploadBufferSizeBytes") == null) {
      // Each task writes its own processed-trip files, up to --openFilesPerTask at once; with Beam's 64 MB part
      // buffer per open S3 file, two tasks with 20 files each ran a 2 GiB heap out of memory.
      out.add("--s3UploadBufferSizeBytes=" + (16 << 20));
    }
    if (streaming) {
      addCheckpointing(out);
      restoreEmbedded(out);
    }
    return rest(out);
  }

  /**
   * The Flink settings of a streaming job: exactly-once checkpoints every {@code --checkpointInterval} into {@code
   * --checkpointPath} (default under the output), kept when the job is cancelled so that it can be restarted from them;
   * RocksDB state on a cluster (its state outgrows the heap), heap state embedded; bundles finished before a checkpoint
   * barrier (otherwise Beam buffers what a bundle finished by the checkpoint emits until the next element arrives:
   * with data-driven watermarks a quiet stream held its last counts back); Beam's UnboundedSource reading of Kafka,
   * whose offsets are part of the checkpoint. Values the user gives win; a duration that does not parse is left
   * to the option checks to report.
   */
  private static void addCheckpointing(List<String> out) {
    String interval = Arguments.value(out, "checkpointInterval");
    try {
      long millis = StreamDurations.parse("checkpointInterval", interval == null ? TripStreamingOptions.DEFAULT_CHECKPOINT_INTERVAL : interval).getMillis();
      if (Arguments.value(out, "checkpointingInterval") == null) {
        out.add("--checkpointingInterval=" + millis);
      }
    } catch (IllegalArgumentException e) {
      return;
    }
    String dir = Arguments.value(out, "checkpointPath");
    String output = Arguments.value(out, "output");
    if (dir == null && output != null) {
      dir = new LakeLayout(output).checkpoints();
    }
    if (dir != null && Arguments.value(out, "stateBackendStoragePath") == null) {
      String absolute = dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().normalize().toUri().toString();
      out.add("--stateBackendStoragePath=" + absolute);
    }
    if (Arguments.value(out, "stateBackend") == null) {
      boolean cluster = Arguments.remoteFlinkMaster(out) || System.getenv("FLINK_CONF_DIR") != null;
      out.add("--stateBackend=" + (cluster ? "rocksdb" : "filesystem"));
    }
    if (Arguments.value(out, "externalizedCheckpointsEnabled") == null) {
      out.add("--externalizedCheckpointsEnabled=true");
      out.add("--retainExternalizedCheckpointsOnCancellation=true");
    }
    if (Arguments.value(out, "finishBundleBeforeCheckpointing") == null) {
      out.add("--finishBundleBeforeCheckpointing=true");
    }
    if (out.stream().noneMatch(a -> a.startsWith("--experiments=") && a.contains("use_deprecated_read"))) {
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
    String savepoint = Arguments.value(out, "savepointPath");
    if (savepoint == null || Arguments.remoteFlinkMaster(out) || System.getenv("FLINK_CONF_DIR") != null) {
      return;
    }
    try {
      String conf = "";
      String userDir = Arguments.value(out, "flinkConfDir");
      if (userDir != null && Files.exists(Path.of(userDir, "flink-conf.yaml"))) {
        conf = Files.readString(Path.of(userDir, "flink-conf.yaml"));
      }
      if (!conf.isEmpty() && !conf.endsWith("\n")) {
        conf += "\n";
      }
      Path dir = confDir(conf + "execution.savepoint.path: " + savepoint + "\n");
      out.removeIf(a -> a.startsWith("--flinkConfDir="));
      out.add("--flinkConfDir=" + dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a Flink configuration folder for the restore", e);
    }
  }

  /**
   * Flink's REST address: the cluster named by --flinkMaster; for embedded Flink a free port on 127.0.0.1 set through
   * a Flink configuration folder of tripbeam's (added as --flinkConfDir); none when the user names a configuration
   * folder or the job runs inside the Flink CLI, whose configuration rules.
   */
  private static String rest(List<String> args) {
    String master = Arguments.value(args, "flinkMaster");
    if (Arguments.remoteFlinkMaster(args)) {
      return master.contains("://") ? master : "http://" + master;
    }
    if (Arguments.value(args, "flinkConfDir") != null || System.getenv("FLINK_CONF_DIR") != null) {
      return null;
    }
    try {
      int port = Arguments.freePort();
      Path dir = confDir("rest.address: 127.0.0.1\nrest.bind-address: 127.0.0.1\nrest.port: " + port + "\n");
      args.add("--flinkConfDir=" + dir);
      return "http://127.0.0.1:" + port;
    } catch (IOException e) {
      return null;
    }
  }

  /** A temporary Flink configuration folder holding {@code flink-conf.yaml} with {@code content}. */
  private static Path confDir(String content) throws IOException {
    Path dir = Files.createTempDirectory("tripbeam-flink-conf");
    Path file = dir.resolve("flink-conf.yaml");
    Files.writeString(file, content);
    file.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return dir;
  }
}
