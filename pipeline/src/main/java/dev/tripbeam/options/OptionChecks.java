package dev.tripbeam.options;

import dev.tripbeam.io.InputFormat;
import dev.tripbeam.lake.LakeLayout;
import dev.tripbeam.lake.RunMode;
import dev.tripbeam.serving.ServingLogin;
import dev.tripbeam.serving.ServingTarget;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The cross-field checks of the options, run once per command, and the defaults they settle: without {@code --input}
 * the bundled sample is read and written to the sample output; a local {@code --output} or {@code --checkpointPath}
 * becomes absolute; the streaming checkpoints default to {@code <output>/_streaming/checkpoints}; the S3 options are
 * mapped onto Beam's ({@link TripS3Options#apply}). Input: the parsed options; output: the {@link RunRequest}.
 */
public final class OptionChecks {
  private OptionChecks() {}

  /**
   * Checks {@code options}, settles their defaults and returns what they ask for.
   *
   * @throws IllegalArgumentException with a one-line message for the user
   */
  public static RunRequest check(TripPipelineOptions options) {
    checkServing(options);
    SortedSet<String> dates = reprocessDates(options.getReprocess());
    if (options.isStreaming()) {
      checkStreaming(options, dates);
      return new RunRequest(RunRequest.Action.STREAMING, RunMode.FULL_REFRESH, dates, options);
    }
    RunRequest.Action maintenance = maintenance(options);
    if (maintenance != null) {
      checkMaintenance(options, dates);
      return new RunRequest(maintenance, RunMode.FULL_REFRESH, dates, options);
    }
    if (options.getServeOnly()) {
      absoluteOutput(options);
      TripS3Options.apply(options);
      return new RunRequest(RunRequest.Action.SERVE_ONLY, RunMode.FULL_REFRESH, dates, options);
    }
    checkBatch(options, dates);
    RunMode mode =
        !dates.isEmpty() ? RunMode.REPROCESS : options.getIncremental() ? RunMode.INCREMENTAL : RunMode.FULL_REFRESH;
    return new RunRequest(RunRequest.Action.BATCH, mode, dates, options);
  }

  /** The dates of {@code --reprocess}, sorted; empty without it. Refuses what is not a list of YYYY-MM-DD dates. */
  static SortedSet<String> reprocessDates(String value) {
    SortedSet<String> dates = new TreeSet<>();
    if (value == null || value.isBlank()) {
      return Collections.unmodifiableSortedSet(dates);
    }
    for (String date : value.split(",")) {
      try {
        dates.add(LocalDate.parse(date.trim()).toString());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--reprocess takes pickup dates YYYY-MM-DD, comma-separated (got '" + date.trim() + "')");
      }
    }
    return Collections.unmodifiableSortedSet(dates);
  }

  private static void checkBatch(TripPipelineOptions options, SortedSet<String> dates) {
    if (isBlank(options.getInput()) && dates.isEmpty()) {
      String sample = System.getProperty(TripPipelineOptions.SAMPLE_INPUT_PROPERTY);
      if (isBlank(sample)) {
        throw new IllegalArgumentException("--input is required (a path or glob of raw trip files)");
      }
      options.setInput(sample);
      if (isBlank(options.getOutput())) {
        options.setOutput(System.getProperty(TripPipelineOptions.SAMPLE_OUTPUT_PROPERTY, "target/tripbeam-output"));
      }
    }
    if (isBlank(options.getOutput())) {
      throw new IllegalArgumentException("--output is required when --input or --reprocess is given");
    }
    absoluteOutput(options);
    InputFormat.parse(options.getInputFormat());
    TripS3Options.apply(options);
    if (options.getOpenFilesPerTask() < 1) {
      throw new IllegalArgumentException(
          "--openFilesPerTask must be at least 1 (got " + options.getOpenFilesPerTask() + ")");
    }
    if (!dates.isEmpty() && options.getIncremental()) {
      throw new IllegalArgumentException(
          "--reprocess rebuilds dates of the lake and --incremental adds new raw files: give one of them");
    }
    checkRunId(options);
  }

  private static void checkRunId(TripPipelineOptions options) {
    if (!Pattern.matches("[A-Za-z0-9._-]{1,100}", options.getRunId())) {
      throw new IllegalArgumentException(
          "--runId may only hold letters, digits, '.', '_' and '-' (got '" + options.getRunId() + "')");
    }
  }

  /**
   * A local --output relative to the working directory becomes absolute: Beam's file systems list absolute paths, and
   * the lake's publication maps each staged path onto the root by its prefix.
   */
  private static void absoluteOutput(TripPipelineOptions options) {
    String output = options.getOutput();
    if (!isBlank(output) && !output.contains("://")) {
      options.setOutput(Path.of(output).toAbsolutePath().normalize().toString());
    }
  }

  /**
   * The streaming job's checks: one source (Kafka or a watched prefix) and an output, durations that parse, no
   * batch-only mode.
   */
  private static void checkStreaming(TripPipelineOptions options, SortedSet<String> dates) {
    checkStreamingSource(options);
    if (options.getIncremental() || !dates.isEmpty() || options.getServeOnly()) {
      throw new IllegalArgumentException("--incremental, --reprocess and --serveOnly are batch modes, not --streaming");
    }
    if (isBlank(options.getOutput())) {
      throw new IllegalArgumentException("--streaming needs --output, the lake its zones go to");
    }
    absoluteOutput(options);
    TripS3Options.apply(options);
    atLeastOneSecond("checkpointInterval", options.getCheckpointInterval());
    atLeastOneSecond("paneInterval", options.getPaneInterval());
    atLeastOneSecond("commitInterval", options.getCommitInterval());
    StreamDurations.parse("allowedLateness", options.getAllowedLateness());
    StreamDurations.parse("maxOutOfOrderness", options.getMaxOutOfOrderness());
    if (isBlank(options.getCheckpointPath())) {
      options.setCheckpointPath(new LakeLayout(options.getOutput()).checkpoints());
    } else if (!options.getCheckpointPath().contains("://")) {
      options.setCheckpointPath(Path.of(options.getCheckpointPath()).toAbsolutePath().normalize().toString());
    }
    checkRunId(options);
  }

  private static void checkStreamingSource(TripPipelineOptions options) {
    String servers = options.getKafkaBootstrapServers();
    boolean kafka = !isBlank(servers);
    boolean files = !isBlank(options.getInput());
    if (kafka == files) {
      throw new IllegalArgumentException(
          "--streaming reads one source: Kafka (--kafkaBootstrapServers=HOST:PORT, --kafkaTopic) or the raw files "
              + "landing under --input=PREFIX");
    }
    if (files) {
      InputFormat.parse(options.getInputFormat());
      if (StreamDurations.parse("pollInterval", options.getPollInterval()).getMillis() < 100) {
        throw new IllegalArgumentException("--pollInterval must be at least 100ms");
      }
    }
    for (String server : kafka ? servers.split(",") : new String[0]) {
      if (!Pattern.matches("[A-Za-z0-9._-]+:[0-9]{1,5}", server.trim())) {
        throw new IllegalArgumentException(
            "--kafkaBootstrapServers takes HOST:PORT[,HOST:PORT...] (got '" + server.trim() + "')");
      }
    }
    if (options.getKafkaTopic() == null || !Pattern.matches("[A-Za-z0-9._-]{1,249}", options.getKafkaTopic())) {
      throw new IllegalArgumentException("--kafkaTopic must be a Kafka topic name (letters, digits, '.', '_', '-')");
    }
  }

  /** The serving options' checks: a well-formed URL, a sane connection bound, {@code --serveOnly}'s companions. */
  private static void checkServing(TripPipelineOptions options) {
    boolean serving = !isBlank(options.getServingJdbcUrl());
    if (serving) {
      ServingTarget.parse(options.getServingJdbcUrl());
    }
    if (options.getServingMaxConnections() < 1 || options.getServingMaxConnections() > 64) {
      throw new IllegalArgumentException(
          "--servingMaxConnections must be between 1 and 64 (got " + options.getServingMaxConnections() + ")");
    }
    String arn = options.getServingSecretArn();
    if (!isBlank(arn) && !ServingLogin.isSecretArn(arn)) {
      throw new IllegalArgumentException(
          "--servingSecretArn must be a Secrets Manager ARN, arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME");
    }
    if (!options.getServeOnly()) {
      if (!isBlank(options.getAsOfRun())) {
        throw new IllegalArgumentException("--asOfRun is for --serveOnly=true, which loads the serving database");
      }
      return;
    }
    if (!serving) {
      throw new IllegalArgumentException("--serveOnly needs --servingJdbcUrl, the database to bring level");
    }
    if (isBlank(options.getOutput())) {
      throw new IllegalArgumentException("--serveOnly needs --output, the lake to serve");
    }
    if (!isBlank(options.getInput()) || options.getIncremental() || !isBlank(options.getReprocess())) {
      throw new IllegalArgumentException(
          "--serveOnly runs no pipeline: give it no --input, --incremental or --reprocess");
    }
  }

  /** The maintenance command the options ask for, or null for none. */
  private static RunRequest.@Nullable Action maintenance(TripPipelineOptions options) {
    return options.getUpgradeLake() ? RunRequest.Action.UPGRADE_LAKE
        : options.getCleanOrphans() ? RunRequest.Action.CLEAN_ORPHANS
        : options.getCompactLake() ? RunRequest.Action.COMPACT_LAKE : null;
  }

  /** {@code --upgradeLake}, {@code --cleanOrphans} and {@code --compactLake}: one of them, on a lake, nothing else. */
  private static void checkMaintenance(TripPipelineOptions options, SortedSet<String> dates) {
    List<String> verbs = new ArrayList<>();
    if (options.getUpgradeLake()) {
      verbs.add("--upgradeLake");
    }
    if (options.getCleanOrphans()) {
      verbs.add("--cleanOrphans");
    }
    if (options.getCompactLake()) {
      verbs.add("--compactLake");
    }
    String verb = verbs.get(0);
    if (verbs.size() > 1) {
      throw new IllegalArgumentException(String.join(" and ", verbs) + " are separate commands: give one of them");
    }
    if (isBlank(options.getOutput())) {
      throw new IllegalArgumentException(verb + " needs --output, the lake");
    }
    if (!isBlank(options.getInput()) || options.getIncremental() || !dates.isEmpty() || options.getServeOnly()) {
      throw new IllegalArgumentException(
          verb + " runs no pipeline: give it no --input, --incremental, --reprocess or --serveOnly");
    }
    if (options.getOrphanMinAgeHours() < 1) {
      throw new IllegalArgumentException("--orphanMinAgeHours must be at least 1 (a run may still be publishing)");
    }
    absoluteOutput(options);
    TripS3Options.apply(options);
    checkRunId(options);
  }

  private static void atLeastOneSecond(String option, String value) {
    if (StreamDurations.parse(option, value).getMillis() < 1_000) {
      throw new IllegalArgumentException("--" + option + " must be at least 1s");
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
