package dev.tripbeam.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** What tripbeam tells the operators' tools: the shape of its log lines and the run's metrics for CloudWatch. */
public interface TripMonitoringOptions extends PipelineOptions {
  /** The shape of tripbeam's own lines. */
  enum LogFormat {
    text,
    json
  }

  @Description(
      "The shape of tripbeam's own lines on the console: text (default) or json (one object per line with time, "
          + "level, message, run_id, job_id, runner, mode, input_count, lake_root and source, for a log shipper). "
          + "The engines' own logs keep their format.")
  @Default.Enum("text")
  LogFormat getLogFormat();

  void setLogFormat(LogFormat value);

  @Description(
      "Write the run's metrics (rows read, valid, duplicates, rejected, the rejected share in percent, the run's "
          + "seconds) to this local file after the run, as the --metric-data JSON of `aws cloudwatch "
          + "put-metric-data` (dimension Lake = --output); the EMR step publishes it. Default: not written.")
  String getCloudWatchMetricsFile();

  void setCloudWatchMetricsFile(String value);
}
