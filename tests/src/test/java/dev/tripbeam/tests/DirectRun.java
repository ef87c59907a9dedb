package dev.tripbeam.tests;

import dev.tripbeam.graph.BatchGraph;
import dev.tripbeam.options.OptionChecks;
import dev.tripbeam.options.TripPipelineOptions;
import dev.tripbeam.run.Outcome;
import dev.tripbeam.run.RunListener;
import dev.tripbeam.run.TripRun;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs the real job in this JVM on the DirectRunner (small inputs only: it re-serializes DoFns per bundle). */
final class DirectRun {
  private DirectRun() {}

  static Outcome run(String input, Path output, String... extra) {
    return run(BatchGraph.Steps.DEFAULT, input, output, extra);
  }

  /** The job with its record-dropping steps replaced (to prove the reconciliation catches a lossy one). */
  static Outcome run(BatchGraph.Steps steps, String input, Path output, String... extra) {
    String[] args = new String[extra.length + 4];
    args[0] = "--runner=DirectRunner";
    args[1] = "--input=" + input;
    args[2] = "--output=" + output;
    args[3] = "--targetParallelism=2";
    System.arraycopy(extra, 0, args, 4, extra.length);
    return TripRun.run(
        OptionChecks.check(PipelineOptionsFactory.fromArgs(args).withValidation().as(TripPipelineOptions.class)),
        RunListener.NONE,
        steps);
  }
}
