package dev.tripbeam.run;

import dev.tripbeam.report.RunReport;
import dev.tripbeam.serving.ServingLoader;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a finished command returns: the report, engine result and report path of a batch run (null when an
 * incremental run found nothing new, for a serving load alone and for a streaming job), the summary for the terminal,
 * and the serving load's result (null without a serving database or when the run did not reach it).
 */
public final class Outcome {
  public final @Nullable RunReport report;
  public final @Nullable PipelineResult result;
  public final @Nullable String reportPath;
  public final String summary;
  public final ServingLoader.@Nullable Result serving;

  Outcome(
      @Nullable RunReport report,
      @Nullable PipelineResult result,
      @Nullable String reportPath,
      String summary,
      ServingLoader.@Nullable Result serving) {
    this.report = report;
    this.result = result;
    this.reportPath = reportPath;
    this.summary = summary;
    this.serving = serving;
  }

  /** An outcome with a summary only. */
  static Outcome summary(String summary) {
    return new Outcome(null, null, null, summary, null);
  }

  /** Exit code of a run whose lake publication committed but whose serving load failed. */
  public static final int SERVING_FAILED = 3;

  /**
   * The exit code: 0 when the run reconciled (or had nothing new to do) and its serving load (if any) succeeded, 1
   * when it did not reconcile, {@value #SERVING_FAILED} when the lake was published but the serving load failed.
   */
  public int exitCode() {
    if (report != null && !report.reconciled()) {
      return 1;
    }
    return serving != null && serving.failed() ? SERVING_FAILED : 0;
  }
}
