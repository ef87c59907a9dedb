package dev.tripbeam.cli;

import dev.tripbeam.options.TripPipelineOptions;
import dev.tripbeam.run.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --cloudWatchMetricsFile}: the run's metrics in the {@code --metric-data} JSON of {@code aws cloudwatch
 * put-metric-data}, written after a run that has a report (the EMR step publishes the file).
 */
final class CloudWatchMetricsFile {
  private CloudWatchMetricsFile() {}

  static void write(TripPipelineOptions options, Outcome outcome) {
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
}
