package dev.tripbeam.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** What a person sees at the terminal while tripbeam runs. */
public interface TripConsoleOptions extends PipelineOptions {
  @Description(
      "Show the engines' own log lines (Flink, Spark, Beam, Hadoop) on the console. Default: only tripbeam's lines "
          + "(what it runs, a progress line every 10 s, the summary); the engines' logs go to the log file the summary "
          + "names (-Dtripbeam.verbose=true does the same).")
  @Default.Boolean(false)
  boolean getVerbose();

  void setVerbose(boolean value);

  @Description(
      "Folder of the engines' log files, one per run (<runId>.log). Default: target/tripbeam-logs under the working "
          + "directory, or -Dtripbeam.logDir.")
  String getLogDir();

  void setLogDir(String value);
}
