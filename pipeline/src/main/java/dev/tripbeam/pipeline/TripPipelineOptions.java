package dev.tripbeam.pipeline;

import dev.tripbeam.io.InputFormat;
import java.util.regex.Pattern;

/** All options of the tripbeam batch job; runner options come from the runner's own interfaces. */
public interface TripPipelineOptions extends TripInputOptions, TripOutputOptions, TripS3Options, TripConsoleOptions {
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
    if (!Pattern.matches("[A-Za-z0-9._-]{1,100}", options.getRunId())) {
      throw new IllegalArgumentException(
          "--runId may only hold letters, digits, '.', '_' and '-' (got '" + options.getRunId() + "')");
    }
  }
}
