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
  static void validate(TripPipelineOptions options) {
    if (options.getInput() == null || options.getInput().isBlank()) {
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
      throw new IllegalArgumentException("--output is required when --input is given");
    }
    InputFormat.parse(options.getInputFormat());
    TripS3Options.apply(options);
    if (options.getOpenFilesPerTask() < 1) {
      throw new IllegalArgumentException(
          "--openFilesPerTask must be at least 1 (got " + options.getOpenFilesPerTask() + ")");
    }
    if (!Pattern.matches("[A-Za-z0-9._-]{1,100}", options.getRunId())) {
      throw new IllegalArgumentException(
          "--runId may only hold letters, digits, '.', '_' and '-' (got '" + options.getRunId() + "')");
    }
  }
}
