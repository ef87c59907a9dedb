package dev.tripbeam.run;

import dev.tripbeam.graph.BatchGraph;
import dev.tripbeam.lake.IcebergLake;
import dev.tripbeam.lake.Lake;
import dev.tripbeam.lake.Publication;
import dev.tripbeam.options.RunRequest;
import dev.tripbeam.report.ReportFiles;
import dev.tripbeam.serving.ServingLoader;
import java.io.IOException;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs a checked request: a batch run ({@link BatchRun}), a streaming job ({@link StreamingRun}) or a serving load
 * alone ({@code --serveOnly}). Input: the {@link RunRequest}; output: the {@link Outcome}; a problem the user can fix is
 * a {@link UserError}.
 */
public final class TripRun {
  private TripRun() {}

  public static Outcome run(RunRequest request, RunListener listener) {
    return run(request, listener, BatchGraph.Steps.DEFAULT);
  }

  /** {@link #run(RunRequest, RunListener)} with the graph's record-dropping steps replaced (tests). */
  public static Outcome run(RunRequest request, RunListener listener, BatchGraph.Steps steps) {
    FileSystems.setDefaultPipelineOptions(request.options());
    return switch (request.action()) {
      case STREAMING -> StreamingRun.run(request, listener);
      case SERVE_ONLY -> serveOnly(request, listener);
      case UPGRADE_LAKE -> MaintenanceRun.upgrade(request, listener);
      case CLEAN_ORPHANS -> MaintenanceRun.cleanOrphans(request, listener);
      case COMPACT_LAKE -> MaintenanceRun.compact(request, listener);
      case BATCH -> BatchRun.run(request, listener, steps);
    };
  }

  /** {@code --serveOnly}: completes a pending publication, then brings the serving database level with the lake. */
  private static Outcome serveOnly(RunRequest request, RunListener listener) {
    ServingStep serving = ServingStep.of(request);
    String output = request.options().getOutput();
    String asOf = blankToNull(request.options().getAsOfRun());
    ServingLoader.Result loaded;
    try (IcebergLake tables = BatchRun.openTables(request)) {
      BatchRun.recover(new Publication(tables, ReportFiles::write), listener);
      Lake lake = new Lake(tables);
      if (lake.needsUpgrade()) {
        throw BatchRun.folderFormat(output);
      }
      if (!lake.hasCommittedRuns()) {
        throw new UserError("no committed run in the lake at " + output + ": nothing to serve");
      }
      listener.phase("loading the serving database");
      loaded = serving.level(tables, request.runId(), asOf);
    } catch (IOException e) {
      throw new UserError("cannot read the inputs or the lake at " + output + ": " + e.getMessage());
    }
    String summary =
        String.format(
            Locale.ROOT,
            "tripbeam serve %s: the lake at %s%s into the serving database%n%s",
            request.runId(),
            output,
            asOf == null ? "" : " as of run " + asOf,
            serving.line(loaded));
    return new Outcome(null, null, null, summary, loaded);
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}

