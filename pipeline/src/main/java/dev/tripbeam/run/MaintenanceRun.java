package dev.tripbeam.run;

import dev.tripbeam.lake.Compaction;
import dev.tripbeam.lake.IcebergLake;
import dev.tripbeam.lake.LakeUpgrade;
import dev.tripbeam.lake.OrphanFiles;
import dev.tripbeam.lake.Publication;
import dev.tripbeam.options.RunRequest;
import dev.tripbeam.report.ReportFiles;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lake's maintenance commands, each after rolling a pending publication forward. {@code --upgradeLake}: registers
 * the zone folders and old manifests of a lake of the folder format in its tables ({@link LakeUpgrade}). {@code
 * --cleanOrphans}: deletes the files no snapshot reaches, older than {@code --orphanMinAgeHours} ({@link
 * OrphanFiles}). {@code --compactLake}: rewrites partitions of several small files into one ({@link Compaction}). Input: a checked {@link RunRequest}; output: an {@link Outcome} whose summary counts files per table.
 */
final class MaintenanceRun {
  private MaintenanceRun() {}

  static Outcome cleanOrphans(RunRequest request, RunListener listener) {
    String output = request.options().getOutput();
    try (IcebergLake tables = BatchRun.openTables(request)) {
      BatchRun.recover(new Publication(tables, ReportFiles::write), listener);
      listener.phase("deleting orphan files");
      Map<String, Integer> deleted =
          OrphanFiles.clean(tables, TimeUnit.HOURS.toMillis(request.options().getOrphanMinAgeHours()));
      StringBuilder summary =
          new StringBuilder(String.format(Locale.ROOT, "tripbeam clean-orphans: the lake at %s%n", output));
      deleted.forEach(
          (table, n) -> summary.append(String.format(Locale.ROOT, "  %-16s %d orphan file(s) deleted%n", table, n)));
      return Outcome.summary(summary.toString());
    } catch (IOException e) {
      throw new UserError("cannot clean the lake at " + output + ": " + e.getMessage());
    }
  }

  static Outcome compact(RunRequest request, RunListener listener) {
    String output = request.options().getOutput();
    try (IcebergLake tables = BatchRun.openTables(request)) {
      BatchRun.recover(new Publication(tables, ReportFiles::write), listener);
      listener.phase("compacting the tables");
      Map<String, Compaction.Result> compacted = Compaction.compact(tables, request.runId());
      StringBuilder summary =
          new StringBuilder(String.format(Locale.ROOT, "tripbeam compact %s: the lake at %s%n", request.runId(), output));
      if (compacted.isEmpty()) {
        summary.append("  no partition holds several small files: nothing to compact").append(System.lineSeparator());
      }
      compacted.forEach(
          (table, r) ->
              summary.append(
                  r.skipped() != null
                      ? String.format(Locale.ROOT, "  %-16s skipped: %s%n", table, r.skipped())
                      : String.format(
                          Locale.ROOT, "  %-16s %d partition(s): %d file(s) into %d, %,d rows%n",
                          table, r.partitions(), r.filesBefore(), r.partitions(), r.rows())));
      return Outcome.summary(summary.toString());
    } catch (IOException e) {
      throw new UserError("cannot compact the lake at " + output + ": " + e.getMessage());
    }
  }

  static Outcome upgrade(RunRequest request, RunListener listener) {
    String output = request.options().getOutput();
    try (IcebergLake tables = BatchRun.openTables(request)) {
      BatchRun.recover(new Publication(tables, ReportFiles::write), listener);
      listener.phase("registering the zones' files");
      Map<String, int[]> changed = LakeUpgrade.register(tables, request.runId());
      StringBuilder summary =
          new StringBuilder(String.format(Locale.ROOT, "tripbeam upgrade %s: the lake at %s%n", request.runId(), output));
      if (changed.isEmpty()) {
        summary.append("  every table already lists its folder's files: nothing to register").append(System.lineSeparator());
      }
      changed.forEach(
          (table, counts) ->
              summary.append(
                  String.format(
                      Locale.ROOT, "  %-16s %d file(s) registered, %d gone from the folder removed%n",
                      table, counts[0], counts[1])));
      return Outcome.summary(summary.toString());
    } catch (IOException e) {
      throw new UserError("cannot register the lake at " + output + ": " + e.getMessage());
    }
  }
}
