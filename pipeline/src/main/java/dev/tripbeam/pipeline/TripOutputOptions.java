package dev.tripbeam.pipeline;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the curated zones and the run report go. */
public interface TripOutputOptions extends PipelineOptions {
  @Description(
      "Output root: processed/, aggregated/, rejected/ and _reports/ are written under it. Required when --input "
          + "is given.")
  String getOutput();

  void setOutput(String value);

  @Description("Identifier of this run, used in the report name. Default: UTC start time and a random suffix.")
  @Default.InstanceFactory(RunIdFactory.class)
  String getRunId();

  void setRunId(String value);

  @Description(
      "Replace the processed, aggregated and rejected zones if --output already holds them. Without it, a run "
          + "into a non-empty output stops with an error instead of mixing two runs' files.")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);

  /** A run id like {@code 20261121T220501Z-4f2a9c}. */
  class RunIdFactory implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC))
          + "-" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }
  }
}
