package dev.tripbeam.pipeline;

import dev.tripbeam.io.InputFormat;
import dev.tripbeam.serving.ServingLogin;
import dev.tripbeam.serving.ServingTarget;
import java.util.regex.Pattern;

/** All options of the tripbeam batch job; runner options come from the runner's own interfaces. */
public interface TripPipelineOptions
    extends TripInputOptions,
        TripOutputOptions,
        TripS3Options,
        TripServingOptions,
        TripStreamingOptions,
        TripConsoleOptions,
        TripMonitoringOptions {
  /** System property with the bundled sample glob, set by the Maven main-job configuration. */
  String SAMPLE_INPUT_PROPERTY = "tripbeam.sampleInput";

  /** System property with the output used for the bundled sample run. */
  String SAMPLE_OUTPUT_PROPERTY = "tripbeam.sampleOutput";

  /**
   * Cross-field checks and the sample-run defaults. Without --input, the bundled sample is read and written to the
   * sample output (replacing an earlier sample run); with --input, --output is required.
   *
   * @throws IllegalArgumentException with a message for the user
   */
  /** The dates of {@code --reprocess}, sorted; empty without it. Refuses what is not a list of YYYY-MM-DD dates. */
  static java.util.SortedSet<String> reprocessDates(TripPipelineOptions options) {
    java.util.SortedSet<String> dates = new java.util.TreeSet<>();
    String value = options.getReprocess();
    if (value == null || value.isBlank()) {
      return dates;
    }
    for (String date : value.split(",")) {
      try {
        dates.add(java.time.LocalDate.parse(date.trim()).toString());
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--reprocess takes pickup dates YYYY-MM-DD, comma-separated (got '" + date.trim() + "')");
      }
    }
    return dates;
  }

  static void validate(TripPipelineOptions options) {
    validateServing(options);
    if (options.isStreaming()) {
      validateStreaming(options);
      return;
    }
    if (options.getServeOnly()) {
      absoluteOutput(options);
      TripS3Options.apply(options);
      return;
    }
    if ((options.getInput() == null || options.getInput().isBlank()) && reprocessDates(options).isEmpty()) {
      String sample = System.getProperty(SAMPLE_INPUT_PROPERTY);
      if (sample == null || sample.isBlank()) {
        throw new IllegalArgumentException("--input is required (a path or glob of raw trip files)");
      }
      options.setInput(sample);
      if (options.getOutput() == null || options.getOutput().isBlank()) {
        String sampleOutput = System.getProperty(SAMPLE_OUTPUT_PROPERTY, "target/tripbeam-output");
        options.setOutput(sampleOutput);
      }
    }
    if (options.getOutput() == null || options.getOutput().isBlank()) {
      throw new IllegalArgumentException("--output is required when --input or --reprocess is given");
    }
    absoluteOutput(options);
    InputFormat.parse(options.getInputFormat());
    TripS3Options.apply(options);
    if (options.getOpenFilesPerTask() < 1) {
      throw new IllegalArgumentException(
          "--openFilesPerTask must be at least 1 (got " + options.getOpenFilesPerTask() + ")");
    }
    if (!reprocessDates(options).isEmpty() && options.getIncremental()) {
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
    if (output != null && !output.isBlank() && !output.contains("://")) {
      options.setOutput(java.nio.file.Path.of(output).toAbsolutePath().normalize().toString());
    }
  }

  /**
   * The streaming job's checks: one source (Kafka or a watched prefix) and an output, durations that parse, no batch-only mode. The
   * checkpoint folder defaults to {@code <output>/_streaming/checkpoints}.
   */
  private static void validateStreaming(TripPipelineOptions options) {
    String servers = options.getKafkaBootstrapServers();
    boolean kafka = servers != null && !servers.isBlank();
    boolean files = options.getInput() != null && !options.getInput().isBlank();
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
    if (options.getIncremental() || !reprocessDates(options).isEmpty() || options.getServeOnly()) {
      throw new IllegalArgumentException("--incremental, --reprocess and --serveOnly are batch modes, not --streaming");
    }
    if (options.getServingJdbcUrl() != null && !options.getServingJdbcUrl().isBlank()) {
      throw new IllegalArgumentException("--servingJdbcUrl loads after a batch run; --streaming does not load it");
    }
    if (options.getOutput() == null || options.getOutput().isBlank()) {
      throw new IllegalArgumentException("--streaming needs --output, the lake its zones go to");
    }
    absoluteOutput(options);
    TripS3Options.apply(options);
    if (StreamDurations.parse("checkpointInterval", options.getCheckpointInterval()).getMillis() < 1_000) {
      throw new IllegalArgumentException("--checkpointInterval must be at least 1s");
    }
    if (StreamDurations.parse("paneInterval", options.getPaneInterval()).getMillis() < 1_000) {
      throw new IllegalArgumentException("--paneInterval must be at least 1s");
    }
    StreamDurations.parse("allowedLateness", options.getAllowedLateness());
    StreamDurations.parse("maxOutOfOrderness", options.getMaxOutOfOrderness());
    if (options.getCheckpointPath() == null || options.getCheckpointPath().isBlank()) {
      options.setCheckpointPath(options.getOutput() + "/_streaming/checkpoints");
    } else if (!options.getCheckpointPath().contains("://")) {
      options.setCheckpointPath(
          java.nio.file.Path.of(options.getCheckpointPath()).toAbsolutePath().normalize().toString());
    }
    checkRunId(options);
  }

  /** The serving options' checks: a well-formed URL, a sane connection bound, {@code --serveOnly}'s companions. */
  private static void validateServing(TripPipelineOptions options) {
    String url = options.getServingJdbcUrl();
    boolean serving = url != null && !url.isBlank();
    if (serving) {
      ServingTarget.parse(url);
    }
    if (options.getServingMaxConnections() < 1 || options.getServingMaxConnections() > 64) {
      throw new IllegalArgumentException(
          "--servingMaxConnections must be between 1 and 64 (got " + options.getServingMaxConnections() + ")");
    }
    String arn = options.getServingSecretArn();
    if (arn != null && !arn.isBlank() && !ServingLogin.isSecretArn(arn)) {
      throw new IllegalArgumentException(
          "--servingSecretArn must be a Secrets Manager ARN, arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME");
    }
    if (!options.getServeOnly()) {
      return;
    }
    if (!serving) {
      throw new IllegalArgumentException("--serveOnly needs --servingJdbcUrl, the database to bring level");
    }
    if (options.getOutput() == null || options.getOutput().isBlank()) {
      throw new IllegalArgumentException("--serveOnly needs --output, the lake to serve");
    }
    if ((options.getInput() != null && !options.getInput().isBlank())
        || options.getIncremental()
        || !reprocessDates(options).isEmpty()) {
      throw new IllegalArgumentException(
          "--serveOnly runs no pipeline: give it no --input, --incremental or --reprocess");
    }
  }
}
