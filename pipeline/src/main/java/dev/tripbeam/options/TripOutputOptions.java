package dev.tripbeam.options;

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
      "Process only the raw files the lake's manifest (_manifests/) does not list yet: their trips are deduplicated "
          + "with the processed trips of the pickup dates they fall on, and only those dates' partitions of the "
          + "processed and aggregated zones are recomputed and replaced. Without it, a run replaces every zone with "
          + "its own output (a full refresh), so running the same input twice gives the same lake.")
  @Default.Boolean(false)
  boolean getIncremental();

  void setIncremental(boolean value);

  @Description(
      "Rebuild these New York pickup dates (YYYY-MM-DD, comma-separated) of an existing lake from the raw files its "
          + "manifest records as holding them, read as they are now (after an operator replaced a bad raw file): "
          + "their partitions of the processed and aggregated zones are replaced, every other date stays as it is, "
          + "and the raw files' current versions are recorded. Not with --incremental.")
  String getReprocess();

  void setReprocess(String value);

  @Description(
      "On Flink, the processed zone is written without a shuffle: each task writes its own files, keeping at most "
          + "this many open at once (one per pickup date); the trips of further dates go through a shuffle to "
          + "writers. Each open file buffers a Parquet row group (up to 64 MB), and on S3 an upload part "
          + "(--s3UploadBufferSizeBytes). Other runners shuffle to a fixed number of files.")
  @Default.Integer(10)
  int getOpenFilesPerTask();

  void setOpenFilesPerTask(int value);

  /** A run id like {@code 20261121T220501Z-4f2a9c}. */
  class RunIdFactory implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC))
          + "-" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }
  }
}
