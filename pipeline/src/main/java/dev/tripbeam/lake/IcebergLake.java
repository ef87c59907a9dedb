package dev.tripbeam.lake;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The lake's Iceberg tables in its catalog: one per {@link LakeZone}, located at the zone's folder, and the
 * raw-files ledger ({@link RawFilesLedger}). Input: {@code --catalog}, {@code --catalogNamespace} and the lake's
 * {@link LakeLayout}. Tables are created by the first commit into them, so a lake no run has committed to has none.
 */
public final class IcebergLake implements AutoCloseable {
  private final Catalog catalog;
  private final CatalogLock lock;
  private final Namespace namespace;
  private final LakeLayout layout;
  private final String shownCatalog;

  private IcebergLake(Catalog catalog, CatalogLock lock, Namespace namespace, LakeLayout layout, String shownCatalog) {
    this.catalog = catalog;
    this.shownCatalog = shownCatalog;
    this.lock = lock;
    this.namespace = namespace;
    this.layout = layout;
  }

  /**
   * Opens the catalog of the lake at {@code layout}.
   *
   * @throws IllegalArgumentException with a one-line message when the catalog cannot be opened
   */
  public static IcebergLake open(@Nullable String catalog, String namespace, LakeLayout layout) {
    if (namespace == null || !namespace.matches("[A-Za-z0-9_]{1,100}")) {
      throw new IllegalArgumentException("--catalogNamespace takes letters, digits and '_' (got '" + namespace + "')");
    }
    String url = LakeCatalog.url(catalog, layout);
    CatalogLock lock = CatalogLock.of(url);
    try {
      // Opening creates the catalog's own tables in a new database: a write.
      Catalog opened = lock.hold(() -> LakeCatalog.forLake(url, layout));
      return new IcebergLake(opened, lock, Namespace.of(namespace), layout, LakeCatalog.shown(url) + " (" + namespace + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot lock the lake's catalog " + LakeCatalog.shown(url) + ": " + e.getMessage());
    }
  }

  /** Runs {@code work}, which writes to the catalog, while no other process writes to it. */
  <T> T writing(CatalogLock.Work<T> work) throws IOException {
    return lock.hold(work);
  }

  /** The catalog's URL without what follows '?', and the namespace, as lines may show them. */
  public String shownCatalog() {
    return shownCatalog;
  }

  public LakeLayout layout() {
    return layout;
  }

  /** The zone's table, or null before any commit created it. */
  public @Nullable Table existing(LakeZone zone) {
    return existing(LakeTables.identifier(namespace, zone));
  }

  /** The zone's table at the zone's folder, created when missing. */
  public Table ensure(LakeZone zone) {
    Schema schema = LakeTables.schema(zone);
    return LakeTables.ensure(
        catalog, LakeTables.identifier(namespace, zone), schema, LakeTables.spec(zone, schema), layout.zone(zone));
  }

  /** The raw-files ledger, or null before any commit created it. */
  public @Nullable Table existingLedger() {
    return existing(ledgerId());
  }

  public Table ensureLedger() {
    return LakeTables.ensure(
        catalog, ledgerId(), RawFilesLedger.SCHEMA, org.apache.iceberg.PartitionSpec.unpartitioned(), layout.ledger());
  }

  /** Every table the lake has so far: the zones' in {@link LakeZone} order, then the ledger. */
  public List<Table> existingTables() {
    List<Table> tables = new ArrayList<>();
    for (LakeZone zone : LakeZone.values()) {
      Table t = existing(zone);
      if (t != null) {
        tables.add(t);
      }
    }
    Table ledger = existingLedger();
    if (ledger != null) {
      tables.add(ledger);
    }
    return tables;
  }

  /** The current snapshot of every table that has one, by table name ({@value RawFilesLedger#NAME} for the ledger). */
  public Map<String, Long> currentSnapshots() {
    Map<String, Long> current = new LinkedHashMap<>();
    for (Table t : existingTables()) {
      if (t.currentSnapshot() != null) {
        current.put(tableName(t), t.currentSnapshot().snapshotId());
      }
    }
    return current;
  }

  /** A table's name in its namespace: the zone's name, or {@value RawFilesLedger#NAME}. */
  static String tableName(Table table) {
    return table.name().substring(table.name().lastIndexOf('.') + 1);
  }

  /** The data files of a zone's table in its current snapshot; empty before any commit. */
  public List<String> currentFiles(LakeZone zone) {
    List<String> files = new ArrayList<>();
    dataFiles(existing(zone), null).forEach(f -> files.add(f.location()));
    files.sort(String::compareTo);
    return files;
  }

  /** The data files of a partitioned zone's table in a snapshot (the current one when null), by pickup date. */
  public Map<String, List<String>> filesByDate(LakeZone zone, @Nullable Long snapshot) {
    Map<String, List<String>> byDate = new TreeMap<>();
    for (DataFile f : dataFiles(existing(zone), snapshot)) {
      byDate.computeIfAbsent(pickupDate(f), d -> new ArrayList<>()).add(f.location());
    }
    byDate.values().forEach(files -> files.sort(String::compareTo));
    return byDate;
  }

  /** The data files a snapshot of {@code table} lists (its current one when null); none for a table without one. */
  static List<DataFile> dataFiles(@Nullable Table table, @Nullable Long snapshot) {
    return dataFiles(table, snapshot, Expressions.alwaysTrue());
  }

  /** {@link #dataFiles(Table, Long)} of the partitions that may hold rows matching {@code rows}. */
  static List<DataFile> dataFiles(@Nullable Table table, @Nullable Long snapshot, Expression rows) {
    List<DataFile> files = new ArrayList<>();
    if (table == null || table.currentSnapshot() == null) {
      return files;
    }
    TableScan scan = table.newScan().filter(rows);
    try (CloseableIterable<FileScanTask> tasks = (snapshot == null ? scan : scan.useSnapshot(snapshot)).planFiles()) {
      tasks.forEach(t -> files.add(t.file()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  static String pickupDate(DataFile file) {
    return LocalDate.ofEpochDay(file.partition().get(0, Integer.class)).toString();
  }

  /**
   * One pickup date of a table's current snapshot: its files, their bytes, the sequence number of the commit that wrote
   * them (Iceberg numbers every commit of a table; it stays when that snapshot expires) and the run that wrote them.
   */
  public record DatePartition(String date, List<String> files, long bytes, long sequence, String runId) {}

  /** The pickup dates of a partitioned zone's current snapshot; empty before any commit. */
  public Map<String, DatePartition> partitions(LakeZone zone) {
    return partitions(zone, null);
  }

  /** The zone's partitions by date in snapshot {@code snapshotId}, or in the current snapshot when null. */
  public Map<String, DatePartition> partitions(LakeZone zone, @Nullable Long snapshotId) {
    Table table = existing(zone);
    Map<String, DatePartition> partitions = new TreeMap<>();
    if (table == null) {
      return partitions;
    }
    Map<Long, Snapshot> bySequence = new HashMap<>();
    table.snapshots().forEach(s -> bySequence.put(s.sequenceNumber(), s));
    Map<String, List<DataFile>> byDate = new TreeMap<>();
    for (DataFile f : dataFiles(table, snapshotId)) {
      byDate.computeIfAbsent(pickupDate(f), d -> new ArrayList<>()).add(f);
    }
    byDate.forEach((date, files) -> partitions.put(date, partition(date, files, bySequence)));
    return partitions;
  }

  /**
   * The zone's table's last snapshot committed by run {@code runId}.
   *
   * @throws IllegalArgumentException with a one-line message when the table holds none
   */
  public long snapshotOfRun(LakeZone zone, String runId) {
    Table table = existing(zone);
    Snapshot last = null;
    if (table != null) {
      for (Snapshot s : table.snapshots()) {
        if (runId.equals(s.summary().get(TableCommit.RUN_ID))
            && (last == null || s.sequenceNumber() > last.sequenceNumber())) {
          last = s;
        }
      }
    }
    if (last == null) {
      throw new IllegalArgumentException("the lake's table " + zone.zoneName() + " holds no snapshot of run " + runId
          + " (snapshots expire after --expireSnapshotsDays, default 7; a run of another lake has none)");
    }
    return last.snapshotId();
  }

  private static DatePartition partition(String date, List<DataFile> files, Map<Long, Snapshot> bySequence) {
    List<String> paths = new ArrayList<>();
    long bytes = 0;
    long sequence = -1;
    for (DataFile f : files) {
      paths.add(f.location());
      bytes += f.fileSizeInBytes();
      sequence = Math.max(sequence, f.fileSequenceNumber());
    }
    paths.sort(String::compareTo);
    Snapshot writer = bySequence.get(sequence);
    String name = paths.get(0).substring(paths.get(0).lastIndexOf('/') + 1);
    // The run's id names its files too ("<runId>-part-…"), for a writing snapshot already expired.
    String runId =
        writer != null
            ? writer.summary().getOrDefault(TableCommit.RUN_ID, "")
            : name.contains("-part-") ? name.substring(0, name.indexOf("-part-")) : "";
    return new DatePartition(date, paths, bytes, sequence, runId);
  }

  private TableIdentifier ledgerId() {
    return TableIdentifier.of(namespace, RawFilesLedger.NAME);
  }

  private @Nullable Table existing(TableIdentifier id) {
    return catalog.tableExists(id) ? catalog.loadTable(id) : null;
  }

  @Override
  public void close() throws IOException {
    if (catalog instanceof Closeable closeable) {
      closeable.close();
    }
  }
}
