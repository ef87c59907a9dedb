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
import java.util.function.BiFunction;
import java.util.concurrent.TimeUnit;

/**
 * The lake's maintenance commands, each after rolling a pending publication forward. {@code --upgradeLake}: registers
 * the zone folders and old manifests of a lake of the folder format in its tables ({@link LakeUpgrade}). {@code
 * --cleanOrphans}: deletes the files no snapshot reaches, older than {@code --orphanMinAgeHours} ({@link
 * OrphanFiles}). {@code --compactLake}: rewrites partitions of several small files into one ({@link Compaction}).
 * Input: a checked {@link RunRequest}; output: an {@link Outcome} whose summary counts files per table.
 */
final class MaintenanceRun {
  private MaintenanceRun() {}

  /** One command's work on the opened tables; returns its summary. */
  @FunctionalInterface
  private interface Work {
    String run(IcebergLake tables, String output) throws IOException;
  }

  /** Opens the lake's tables, rolls a pending publication forward, then runs {@code work} in {@code phase}. */
  private static Outcome onTables(RunRequest request, RunListener listener, String phase, String verb, Work work) {
    String output = request.options().getOutput();
    try (IcebergLake tables = BatchRun.openTables(request)) {
      BatchRun.recover(new Publication(tables, ReportFiles::write), listener);
      listener.phase(phase);
      return Outcome.summary(work.run(tables, output));
    } catch (IOException e) {
      throw new UserError("cannot " + verb + " the lake at " + output + ": " + e.getMessage());
    }
  }

  /** A command's summary: its header line, then a line per table, or {@code whenEmpty} for none. */
  private static <V> String summary(
      String header, String whenEmpty, Map<String, V> byTable, BiFunction<String, V, String> line) {
    StringBuilder summary = new StringBuilder(header).append(System.lineSeparator());
    if (byTable.isEmpty() && whenEmpty != null) {
      summary.append("  ").append(whenEmpty).append(System.lineSeparator());
    }
    byTable.forEach((table, v) -> summary.append(String.format(Locale.ROOT, "  %-16s ", table))
        .append(line.apply(table, v)).append(System.lineSeparator()));
    return summary.toString();
  }

  static Outcome cleanOrphans(RunRequest request, RunListener listener) {
    long minAge = TimeUnit.HOURS.toMillis(request.options().getOrphanMinAgeHours());
    return onTables(request, listener, "deleting orphan files", "clean", (tables, output) -> summary(
        "tripbeam clean-orphans: the lake at " + output, null, OrphanFiles.clean(tables, minAge),
        (table, n) -> n + " orphan file(s) deleted"));
  }

  static Outcome compact(RunRequest request, RunListener listener) {
    return onTables(request, listener, "compacting the tables", "compact", (tables, output) -> summary(
        "tripbeam compact " + request.runId() + ": the lake at " + output,
        "no partition holds several small files: nothing to compact",
        Compaction.compact(tables, request.runId()),
        (table, r) -> r.skipped() != null
            ? "skipped: " + r.skipped()
            : String.format(Locale.ROOT, "%d partition(s): %d file(s) into %d, %,d rows",
                r.partitions(), r.filesBefore(), r.partitions(), r.rows())));
  }

  static Outcome upgrade(RunRequest request, RunListener listener) {
    return onTables(request, listener, "registering the zones' files", "register", (tables, output) -> summary(
        "tripbeam upgrade " + request.runId() + ": the lake at " + output,
        "every table already lists its folder's files: nothing to register",
        LakeUpgrade.register(tables, request.runId()),
        (table, counts) -> counts[0] + " file(s) registered, " + counts[1] + " gone from the folder removed"));
  }
}
