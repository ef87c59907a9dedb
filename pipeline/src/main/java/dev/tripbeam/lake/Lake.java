package dev.tripbeam.lake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * What a run reads of the lake's tables ({@link IcebergLake}) before it starts: the raw files the ledger records, the
 * tables' current snapshots (the bases its commits are checked against) and the processed trips' files of a
 * snapshot; and the expiry of old snapshots after it.
 */
public final class Lake {
  private final IcebergLake tables;

  public Lake(IcebergLake tables) {
    this.tables = tables;
  }

  public IcebergLake tables() {
    return tables;
  }

  /** Keys of every raw file a committed run processed. */
  public Set<String> committedRawFiles() throws IOException {
    Set<String> keys = new HashSet<>();
    for (RawFile f : ledger()) {
      keys.add(f.key());
    }
    return keys;
  }

  /** The raw files committed runs recorded as holding any of {@code dates}, each with every date recorded for it. */
  public SortedMap<String, SortedSet<String>> rawFilesHolding(Set<String> dates) throws IOException {
    SortedMap<String, SortedSet<String>> holding = new TreeMap<>();
    for (RawFile f : ledger()) {
      if (f.dates().stream().anyMatch(dates::contains)) {
        holding.computeIfAbsent(f.path(), p -> new TreeSet<>()).addAll(f.dates());
      }
    }
    return holding;
  }

  /** Whether any run committed to the lake (an incremental run then reads the processed zone back). */
  public boolean hasCommittedRuns() {
    Table ledger = tables.existingLedger();
    return ledger != null && ledger.currentSnapshot() != null;
  }

  /** Whether the lake is of the folder format: runs recorded in {@code _manifests/runs/}, no ledger yet. */
  public boolean needsUpgrade() throws IOException {
    return !hasCommittedRuns() && !LakeFiles.paths(tables.layout().root() + "/_manifests/runs/*.json").isEmpty();
  }

  /** The current snapshot of every table, by table name: what a run's commits are checked against. */
  public Map<String, Long> snapshots() {
    return tables.currentSnapshots();
  }

  /** The processed trips' data files of the {@code processed_trips} snapshot in {@code bases}, by pickup date. */
  public Map<String, List<String>> processedFiles(Map<String, Long> bases) {
    Long snapshot = bases.get(LakeZone.PROCESSED_TRIPS.zoneName());
    return snapshot == null ? Map.of() : tables.filesByDate(LakeZone.PROCESSED_TRIPS, snapshot);
  }

  /**
   * Expires every table's snapshots older than {@code days} days but the current one; the files no snapshot left
   * references are deleted.
   *
   * @return the tables whose expiry failed, with the cause (the lake stays correct, only larger)
   */
  public List<String> expire(int days) {
    try {
      return tables.writing(() -> expireAll(days));
    } catch (IOException e) {
      return List.of("every table: " + e.getMessage());
    }
  }

  private List<String> expireAll(int days) {
    long cutoff = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(days);
    List<String> failed = new ArrayList<>();
    for (Table t : tables.existingTables()) {
      if (t.currentSnapshot() == null) {
        continue;
      }
      try {
        expire(t, cutoff);
      } catch (RuntimeException e) {
        failed.add(t.name() + ": " + e.getMessage());
      }
    }
    return failed;
  }

  /**
   * Expires the snapshots of {@code table} older than {@code cutoff} but the current one, naming each: Iceberg then
   * deletes every file no remaining snapshot reaches (its incremental clean-up, used when none is named, keeps a
   * replaced file until the snapshot that replaced it expires too).
   */
  static void expire(Table table, long cutoff) {
    ExpireSnapshots expire = table.expireSnapshots().expireOlderThan(cutoff);
    boolean any = false;
    for (Snapshot s : table.snapshots()) {
      if (s.timestampMillis() < cutoff && s.snapshotId() != table.currentSnapshot().snapshotId()) {
        expire.expireSnapshotId(s.snapshotId());
        any = true;
      }
    }
    if (any) {
      expire.commit();
    }
  }

  private List<RawFile> ledger() throws IOException {
    Table ledger = tables.existingLedger();
    return ledger == null ? List.of() : RawFilesLedger.read(ledger);
  }
}
