package dev.tripbeam.lake;

import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One run's commit to one zone's table, as one snapshot: a full refresh replaces every file of the table; an
 * incremental or reprocess run replaces the partitions of the dates it recomputed (an overwrite by the filter {@code
 * pickup_date IN (dates)}, so a date that now has no rows loses its old ones too) and adds to an unpartitioned zone
 * (the rejected records). Optimistic: the commit is checked against every snapshot committed since {@code base} (the
 * table's snapshot when the run started), and data another run added where this one writes fails it with Iceberg's
 * {@code ValidationException} rather than being overwritten or doubled. The snapshot's summary carries {@value
 * #RUN_ID} and the properties given.
 */
public final class TableCommit {
  /** The snapshot summary property naming the run that made it. */
  public static final String RUN_ID = "tripbeam.run-id";

  private TableCommit() {}

  /** The id of the table's current snapshot, or null for a table without one. */
  public static @Nullable Long current(Table table) {
    Snapshot s = table.currentSnapshot();
    return s == null ? null : s.snapshotId();
  }

  /**
   * Commits {@code files} to {@code table} (of {@code zone}) for a run of {@code mode} that recomputed {@code dates},
   * checked against the snapshots since {@code base}.
   */
  public static Snapshot commit(
      Table table,
      LakeZone zone,
      RunMode mode,
      List<String> dates,
      List<DataFile> files,
      @Nullable Long base,
      String runId,
      Map<String, String> summary) {
    SnapshotUpdate<?> update;
    if (mode.replacesPartitions() && !zone.partitioned()) {
      AppendFiles append = table.newAppend();
      files.forEach(append::appendFile);
      update = append;
    } else {
      Expression replaced = replaced(mode, dates);
      OverwriteFiles overwrite = table.newOverwrite().overwriteByRowFilter(replaced);
      files.forEach(overwrite::addFile);
      if (!files.isEmpty()) {
        overwrite.validateAddedFilesMatchOverwriteFilter();
      }
      overwrite.conflictDetectionFilter(replaced);
      if (base != null) {
        overwrite.validateFromSnapshot(base);
      }
      overwrite.validateNoConflictingData().validateNoConflictingDeletes();
      update = overwrite;
    }
    update.set(RUN_ID, runId);
    summary.forEach(update::set);
    update.commit();
    return table.currentSnapshot();
  }

  /** What a run of {@code mode} replaces: everything, or the rows of the dates it recomputed. */
  static Expression replaced(RunMode mode, List<String> dates) {
    if (!mode.replacesPartitions()) {
      return Expressions.alwaysTrue();
    }
    return dates.isEmpty() ? Expressions.alwaysFalse() : Expressions.in(LakeZone.PARTITION_COLUMN, dates.toArray());
  }
}
