package dev.tripbeam.cli;

import dev.tripbeam.options.TripPipelineOptions;
import dev.tripbeam.run.Outcome;

/** What a person must know when a run did not end well: the unreconciled counts, the serving database left behind. */
final class OutcomeMessages {
  private OutcomeMessages() {}

  static void explain(TripPipelineOptions options, Outcome outcome) {
    int code = outcome.exitCode();
    if (code == Outcome.SERVING_FAILED && options.getServeOnly()) {
      TripConsole.error(
          "tripbeam: the serving database is not level with the lake: " + outcome.serving.cause()
              + "; run the same command again when it is reachable");
    } else if (code == Outcome.SERVING_FAILED) {
      TripConsole.error(
          "tripbeam: the lake is published, but loading the serving database failed: " + outcome.serving.cause());
      TripConsole.error(
          "tripbeam: bring it level with the lake: the same command with --serveOnly=true --output="
              + options.getOutput() + " --servingJdbcUrl=" + options.getServingJdbcUrl());
    } else if (code != 0) {
      TripConsole.error(
          String.format(
              "tripbeam: the counts do not reconcile: read %d, but valid + duplicates + rejected = %d; nothing was "
                  + "published",
              outcome.report.read(),
              outcome.report.valid() + outcome.report.duplicates() + outcome.report.rejectedTotal()));
    }
  }
}
