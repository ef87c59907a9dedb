package dev.tripbeam.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * One commit of a streaming job's pane files to a zone's table: appended (processed trips, rejected records), or, for
 * the closed days' aggregates, each file replacing its pickup date's partition (the last file of a date when a batch
 * holds several). One snapshot per call, summary {@value TableCommit#RUN_ID}, {@value #MODE} = {@code stream} and
 * {@value #PANE_FILES}. A replayed file (the job restored from a checkpoint taken before a commit that already holds
 * it) is recognised by its path, which the pane's name fixes before the checkpoint: in the current snapshot's files of
 * the dates concerned, or among the files added by the streaming snapshots after {@code lastCommitted} (the last
 * snapshot this committer made as of that checkpoint; without one, those of the same run). After an append, each
 * date touched (or the unpartitioned table) whose small files reach {@link #COMPACT_AT} is compacted ({@link
 * Compaction}) as a snapshot of its own.
 */
public final class PaneCommit {
  /** Snapshot summary property: how the snapshot was made ({@code stream}). */
  public static final String MODE = "tripbeam.mode";
  /** Snapshot summary property: how many pane files the snapshot committed. */
  public static final String PANE_FILES = "tripbeam.pane-files";
  /** A date's small files are compacted once it holds this many. */
  static final int COMPACT_AT = 32;
  /** Files below this size count as small. */
  static final long SMALL_FILE_BYTES = 32L << 20;

  /**
   * What a commit did: the newest snapshot this committer made (or {@code lastCommitted} when it made none), files
   * committed, replayed files recognised, files compacted.
   */
  public record Result(@Nullable Long lastCommitted, int committed, int replayed, int compacted) {}

  private PaneCommit() {}

  /**
   * Commits {@code paths} (Parquet files of {@code zone} written by the stream, in arrival order) to the zone's table
   * in {@code lake}; {@code replacesDays} for a zone whose file holds a pickup date's whole result.
   */
  public static Result commit(
      IcebergLake lake,
      LakeZone zone,
      boolean replacesDays,
      List<String> paths,
      @Nullable Long lastCommitted,
      String runId)
      throws IOException {
    return lake.writing(() -> commitHeld(lake.ensure(zone), zone, replacesDays, paths, lastCommitted, runId));
  }

  private static Result commitHeld(
      Table table, LakeZone zone, boolean replacesDays, List<String> paths, @Nullable Long lastCommitted, String runId)
      throws IOException {
    table.refresh();
    Set<String> known = committed(table, zone, paths, lastCommitted, runId);
    Map<String, String> fresh = new LinkedHashMap<>();
    for (String path : paths) {
      if (!known.contains(path)) {
        fresh.put(replacesDays ? ZoneFiles.partitionPath(path) : path, path);
      }
    }
    int replayed = (int) paths.stream().filter(known::contains).count();
    if (fresh.isEmpty()) {
      return new Result(lastCommitted, 0, replayed, 0);
    }
    List<String> added = List.copyOf(fresh.values());
    Expression days = datesOf(zone, added);
    List<DataFile> files = ZoneFiles.of(table, zone, added);
    SnapshotUpdate<?> update = replacesDays ? overwrite(table, files, days) : append(table, files);
    update.set(TableCommit.RUN_ID, runId);
    update.set(MODE, "stream");
    update.set(PANE_FILES, Integer.toString(files.size()));
    update.commit();
    long snapshot = table.currentSnapshot().snapshotId();
    // A replaced day holds one file: only appended zones gather small files.
    Map<String, List<DataFile>> small = replacesDays ? Map.of() : smallFiles(table, zone, days, snapshot);
    int compacted = 0;
    if (!small.isEmpty()) {
      compacted = Compaction.rewrite(table, zone, small, snapshot, runId).filesBefore();
      snapshot = table.currentSnapshot().snapshotId();
    }
    return new Result(snapshot, files.size(), replayed, compacted);
  }

  private static AppendFiles append(Table table, List<DataFile> files) {
    AppendFiles append = table.newAppend();
    files.forEach(append::appendFile);
    return append;
  }

  private static OverwriteFiles overwrite(Table table, List<DataFile> files, Expression days) {
    OverwriteFiles overwrite = table.newOverwrite().overwriteByRowFilter(days);
    files.forEach(overwrite::addFile);
    return overwrite.validateAddedFilesMatchOverwriteFilter();
  }

  /** Which of {@code paths} the table already received. */
  private static Set<String> committed(
      Table table, LakeZone zone, List<String> paths, @Nullable Long lastCommitted, String runId) {
    Set<String> known = new HashSet<>();
    for (DataFile f : IcebergLake.dataFiles(table, null, datesOf(zone, paths))) {
      known.add(f.location());
    }
    for (Snapshot s = table.currentSnapshot();
        s != null && (lastCommitted == null || s.snapshotId() != lastCommitted);
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      boolean ours = lastCommitted != null || runId.equals(s.summary().get(TableCommit.RUN_ID));
      if (ours && "stream".equals(s.summary().get(MODE))) {
        s.addedDataFiles(table.io()).forEach(f -> known.add(f.location()));
      }
    }
    known.retainAll(new HashSet<>(paths));
    return known;
  }

  /** The rows of the pickup dates of {@code paths}; every row for an unpartitioned zone. */
  private static Expression datesOf(LakeZone zone, List<String> paths) {
    if (!zone.partitioned()) {
      return Expressions.alwaysTrue();
    }
    Object[] dates =
        paths.stream().map(p -> ZoneFiles.partitionPath(p).substring(LakeZone.partition("").length())).distinct().toArray();
    return Expressions.in(LakeZone.PARTITION_COLUMN, dates);
  }

  /** The small files of each partition of {@code touched} in {@code snapshot}, for those with {@link #COMPACT_AT}. */
  private static Map<String, List<DataFile>> smallFiles(Table table, LakeZone zone, Expression touched, long snapshot) {
    Map<String, List<DataFile>> groups = new LinkedHashMap<>();
    for (DataFile f : IcebergLake.dataFiles(table, snapshot, touched)) {
      String partition = zone.partitioned() ? IcebergLake.pickupDate(f) : "";
      if (f.fileSizeInBytes() < SMALL_FILE_BYTES) {
        groups.computeIfAbsent(partition, p -> new ArrayList<>()).add(f);
      }
    }
    groups.values().removeIf(g -> g.size() < COMPACT_AT);
    return groups;
  }

  /** Expires the zone's table's snapshots older than {@code days} days ({@link Lake#expire}'s rule). */
  public static void expire(IcebergLake lake, LakeZone zone, int days) {
    try {
      lake.writing(() -> {
        Table table = lake.existing(zone);
        if (table != null && table.currentSnapshot() != null) {
          Lake.expire(table, System.currentTimeMillis() - java.util.concurrent.TimeUnit.DAYS.toMillis(days));
        }
        return null;
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
