package dev.tripbeam.serving;

import dev.tripbeam.io.ParquetRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Brings the serving database level with the lake: every {@link ServingTable} holds, for each pickup date, exactly
 * the rows of the lake's partition of that date.
 *
 * <p>Inputs: the lake root (its {@code aggregated/user_daily} and {@code aggregated/zone_daily} partitions, read with
 * Beam's file systems, so local or S3), the database and its login, at most {@code maxConnections} connections.
 * The database records which version of each partition it holds ({@code serving_dates}: the partition's file names
 * and sizes, hashed); a load brings every date whose version differs from the lake's and removes the dates the lake
 * no longer has, so after a full refresh it reloads every date, after an incremental run the dates the run replaced,
 * and after a failed load the dates it did not finish. Each date is one transaction on one connection: {@code COPY}
 * of the partition's rows into a session's temporary table, {@code DELETE} of the date's rows the lake no longer has,
 * {@code INSERT … ON CONFLICT DO UPDATE} of the rest (rows that did not change are left as they are), and the new
 * version in {@code serving_dates}; readers see a date either as it was or as the lake has it. Dates are spread over
 * the connections, largest first. The schema is migrated by Flyway ({@code db/serving}) before the load. Outputs: the
 * tables and a {@link Result} (a row in {@code serving_loads} when it succeeded).
 */
public final class ServingLoader {
  private static final int COPY_CHUNK_BYTES = 1 << 20;

  private ServingLoader() {}

  /** What a load did. */
  public record Result(
      String status,
      String cause,
      int datesLoaded,
      int datesRemoved,
      long rowsInserted,
      long rowsUpdated,
      long rowsUnchanged,
      long rowsDeleted,
      int connections,
      double seconds) {
    public boolean failed() {
      return status.equals("failed");
    }

    /** The report's {@code serving} section. */
    public Map<String, Object> toMap(ServingTarget target) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("status", status);
      m.put("database", target.shown());
      if (failed()) {
        m.put("cause", cause);
      }
      m.put("dates_loaded", datesLoaded);
      m.put("dates_removed", datesRemoved);
      m.put("rows_inserted", rowsInserted);
      m.put("rows_updated", rowsUpdated);
      m.put("rows_unchanged", rowsUnchanged);
      m.put("rows_deleted", rowsDeleted);
      m.put("connections", connections);
      m.put("seconds", seconds);
      return m;
    }

    /** One line for the summary. */
    public String line(ServingTarget target) {
      if (failed()) {
        return String.format(
            java.util.Locale.ROOT, "failed (%s) after %d date(s) loaded into %s", cause, datesLoaded, target.shown());
      }
      return String.format(
          java.util.Locale.ROOT,
          "loaded %s: %d date(s) loaded, %d removed; rows %,d inserted, %,d updated, %,d unchanged, %,d deleted "
              + "(%d connection(s), %.1f s)",
          target.shown(),
          datesLoaded,
          datesRemoved,
          rowsInserted,
          rowsUpdated,
          rowsUnchanged,
          rowsDeleted,
          connections,
          seconds);
    }
  }

  /** One lake partition of a table: a pickup date, its files and their total size. */
  record Partition(ServingTable table, String date, List<String> files, long bytes, String version, String runId) {}

  /** A date to load ({@code partition} set; {@code held}: the database holds a version of it) or to remove. */
  private record Task(ServingTable table, String date, Partition partition, boolean held) {}

  /** Migrates the schema and loads every date whose lake partition the database does not hold as it is. */
  public static Result level(
      ServingTarget target, ServingLogin login, String lakeRoot, String runId, int maxConnections) {
    Instant start = Instant.now();
    Counts counts = new Counts();
    try {
      ServingSchema.migrate(target, login);
      List<Task> tasks = new ArrayList<>();
      Map<ServingTable, Map<String, String>> held;
      try (Connection c = ServingSessions.open(target, login)) {
        held = heldVersions(c);
      }
      for (ServingTable table : ServingTable.values()) {
        Map<String, Partition> lake = partitions(lakeRoot, table);
        Map<String, String> db = held.getOrDefault(table, Map.of());
        lake.values().stream()
            .filter(p -> !p.version().equals(db.get(p.date())))
            .sorted(Comparator.comparingLong(Partition::bytes).reversed())
            .forEach(p -> tasks.add(new Task(table, p.date(), p, db.containsKey(p.date()))));
        db.keySet().stream()
            .filter(d -> !lake.containsKey(d))
            .forEach(d -> tasks.add(new Task(table, d, null, true)));
      }
      int connections = Math.min(maxConnections, tasks.size());
      counts.connections = connections;
      run(target, login, tasks, connections, counts);
      if (counts.datesLoaded.sum() + counts.datesRemoved.sum() != tasks.size()) {
        throw new IllegalStateException(
            "the load ended with " + (tasks.size() - counts.datesLoaded.sum() - counts.datesRemoved.sum())
                + " of " + tasks.size() + " date(s) not done");
      }
      Result result = counts.result("loaded", null, start);
      try (Connection c = ServingSessions.open(target, login)) {
        record(c, runId, start, result);
      }
      return result;
    } catch (IOException | SQLException | RuntimeException e) {
      return counts.result("failed", cause(e), start);
    }
  }

  private static final class Counts {
    final LongAdder datesLoaded = new LongAdder();
    final LongAdder datesRemoved = new LongAdder();
    final LongAdder inserted = new LongAdder();
    final LongAdder updated = new LongAdder();
    final LongAdder unchanged = new LongAdder();
    final LongAdder deleted = new LongAdder();
    int connections;

    Result result(String status, String cause, Instant start) {
      return new Result(
          status,
          cause,
          datesLoaded.intValue(),
          datesRemoved.intValue(),
          inserted.sum(),
          updated.sum(),
          unchanged.sum(),
          deleted.sum(),
          connections,
          Duration.between(start, Instant.now()).toMillis() / 1000.0);
    }
  }

  private static void run(ServingTarget target, ServingLogin login, List<Task> tasks, int connections, Counts counts)
      throws SQLException, IOException {
    ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>(tasks);
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Thread worker =
          new Thread(
              () -> {
                try (Connection c = ServingSessions.open(target, login)) {
                  c.setAutoCommit(false);
                  Map<ServingTable, Boolean> staged = new HashMap<>();
                  Task task;
                  while (failure.get() == null && (task = queue.poll()) != null) {
                    if (task.partition() == null) {
                      remove(c, task.table(), task.date(), counts);
                    } else if (!task.held() && !hasRows(c, task.partition())) {
                      loadNew(c, task.partition(), counts);
                    } else {
                      if (staged.putIfAbsent(task.table(), true) == null) {
                        createStage(c, task.table());
                      }
                      load(c, task.partition(), counts);
                    }
                  }
                } catch (IOException | SQLException | RuntimeException e) {
                  failure.compareAndSet(null, e);
                } catch (Error e) {
                  failure.compareAndSet(null, new IllegalStateException(e.toString(), e));
                  throw e;
                }
              },
              "tripbeam-serving-" + i);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while loading the serving database", e);
      }
    }
    Exception e = failure.get();
    if (e instanceof SQLException s) {
      throw s;
    } else if (e instanceof IOException io) {
      throw io;
    } else if (e != null) {
      throw (RuntimeException) e;
    }
  }

  private static String stage(ServingTable table) {
    return "tripbeam_stage_" + table.table();
  }

  private static void createStage(Connection c, ServingTable table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TEMPORARY TABLE IF NOT EXISTS " + stage(table) + " (LIKE " + table.table()
              + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
    }
    c.commit();
  }

  /** Whether the table has rows of the partition's date (a date it holds no version of may have some: lost track of). */
  private static boolean hasRows(Connection c, Partition p) throws SQLException {
    try (PreparedStatement any =
        c.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM " + p.table().table() + " WHERE " + ServingTable.DATE_COLUMN + " = ?)")) {
      any.setObject(1, LocalDate.parse(p.date()));
      try (ResultSet r = any.executeQuery()) {
        r.next();
        return r.getBoolean(1);
      }
    }
  }

  /**
   * A date the database holds no version and no row of: the partition is copied straight into the table, in one
   * transaction: the cost of a plain COPY. (A date with rows but no version, its bookkeeping lost, is merged as
   * {@link #load} merges a held one, so that only its changed rows are written.)
   */
  private static void loadNew(Connection c, Partition p, Counts counts) throws SQLException, IOException {
    ServingTable table = p.table();
    try (PreparedStatement delete =
        c.prepareStatement("DELETE FROM " + table.table() + " WHERE " + ServingTable.DATE_COLUMN + " = ?")) {
      delete.setObject(1, LocalDate.parse(p.date()));
      counts.deleted.add(delete.executeUpdate());
    }
    long copied = copy(c, p, table.table());
    counts.inserted.add(copied);
    recordVersion(c, p, copied);
    c.commit();
    counts.datesLoaded.increment();
  }

  /**
   * A date the database holds another version of: the partition is copied into the session's staging table, the
   * date's rows the lake no longer has are deleted and the rest upserted, changed rows only.
   */
  private static void load(Connection c, Partition p, Counts counts) throws SQLException, IOException {
    ServingTable table = p.table();
    String columns = String.join(", ", table.columns());
    long staged = copy(c, p, stage(table));
    try (Statement s = c.createStatement()) {
      s.execute("ANALYZE " + stage(table));
    }
    String sameKey =
        table.key().stream().map(k -> "s." + k + " = t." + k).collect(Collectors.joining(" AND "));
    try (PreparedStatement delete =
        c.prepareStatement(
            "DELETE FROM " + table.table() + " t WHERE t." + ServingTable.DATE_COLUMN + " = ? AND NOT EXISTS "
                + "(SELECT 1 FROM " + stage(table) + " s WHERE " + sameKey + ")")) {
      delete.setObject(1, LocalDate.parse(p.date()));
      counts.deleted.add(delete.executeUpdate());
    }
    List<String> values = table.valueColumns();
    String upsert =
        "WITH up AS (INSERT INTO " + table.table() + " AS t (" + columns + ") SELECT " + columns + " FROM "
            + stage(table) + " ON CONFLICT (" + String.join(", ", table.key()) + ") DO UPDATE SET "
            + values.stream().map(v -> v + " = EXCLUDED." + v).collect(Collectors.joining(", "))
            + " WHERE (" + values.stream().map(v -> "t." + v).collect(Collectors.joining(", "))
            + ") IS DISTINCT FROM ("
            + values.stream().map(v -> "EXCLUDED." + v).collect(Collectors.joining(", "))
            + ") RETURNING (xmax = 0) AS inserted) "
            + "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up";
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(upsert)) {
      r.next();
      long inserted = r.getLong(1);
      long updated = r.getLong(2);
      counts.inserted.add(inserted);
      counts.updated.add(updated);
      counts.unchanged.add(staged - inserted - updated);
    }
    recordVersion(c, p, staged);
    c.commit();
    counts.datesLoaded.increment();
  }

  private static void recordVersion(Connection c, Partition p, long rows) throws SQLException {
    try (PreparedStatement version =
        c.prepareStatement(
            "INSERT INTO serving_dates (table_name, pickup_date, partition_version, lake_run_id, row_count, loaded_at)"
                + " VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (table_name, pickup_date) DO UPDATE SET"
                + " partition_version = EXCLUDED.partition_version, lake_run_id = EXCLUDED.lake_run_id,"
                + " row_count = EXCLUDED.row_count, loaded_at = EXCLUDED.loaded_at")) {
      version.setString(1, p.table().table());
      version.setObject(2, LocalDate.parse(p.date()));
      version.setString(3, p.version());
      version.setString(4, p.runId());
      version.setLong(5, rows);
      version.executeUpdate();
    }
  }

  /** Streams the partition's rows into {@code into} (the table or its staging table); returns how many. */
  private static long copy(Connection c, Partition p, String into) throws SQLException, IOException {
    CopyText text = new CopyText(p.table().schema());
    CopyIn in =
        c.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn("COPY " + into + " (" + String.join(", ", p.table().columns()) + ") FROM STDIN");
    long rows = 0;
    try {
      for (String file : p.files()) {
        rows +=
            ParquetRecords.read(
                file,
                row -> {
                  text.append(row);
                  if (text.size() >= COPY_CHUNK_BYTES) {
                    flush(in, text);
                  }
                });
      }
      flush(in, text);
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
    return rows;
  }

  private static void flush(CopyIn in, CopyText text) throws IOException {
    byte[] bytes = text.bytes();
    try {
      in.writeToCopy(bytes, 0, bytes.length);
    } catch (SQLException e) {
      throw new IOException(e);
    }
    text.clear();
  }

  private static void remove(Connection c, ServingTable table, String date, Counts counts) throws SQLException {
    try (PreparedStatement delete =
            c.prepareStatement(
                "DELETE FROM " + table.table() + " WHERE " + ServingTable.DATE_COLUMN + " = ?");
        PreparedStatement forget =
            c.prepareStatement("DELETE FROM serving_dates WHERE table_name = ? AND pickup_date = ?")) {
      delete.setObject(1, LocalDate.parse(date));
      counts.deleted.add(delete.executeUpdate());
      forget.setString(1, table.table());
      forget.setObject(2, LocalDate.parse(date));
      forget.executeUpdate();
    }
    c.commit();
    counts.datesRemoved.increment();
  }

  private static Map<ServingTable, Map<String, String>> heldVersions(Connection c) throws SQLException {
    Map<ServingTable, Map<String, String>> held = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT table_name, pickup_date::text, partition_version FROM serving_dates")) {
      while (r.next()) {
        for (ServingTable table : ServingTable.values()) {
          if (table.table().equals(r.getString(1))) {
            held.computeIfAbsent(table, t -> new HashMap<>()).put(r.getString(2), r.getString(3));
          }
        }
      }
    }
    return held;
  }

  private static void record(Connection c, String runId, Instant start, Result r) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO serving_loads (run_id, started_at, dates_loaded, dates_removed, rows_inserted,"
                + " rows_updated, rows_unchanged, rows_deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, runId);
      s.setTimestamp(2, Timestamp.from(start));
      s.setInt(3, r.datesLoaded());
      s.setInt(4, r.datesRemoved());
      s.setLong(5, r.rowsInserted());
      s.setLong(6, r.rowsUpdated());
      s.setLong(7, r.rowsUnchanged());
      s.setLong(8, r.rowsDeleted());
      s.executeUpdate();
    }
  }

  /**
   * The lake's partitions of a table by date. A partition's files are all written by the run that last replaced the
   * date ({@code <runId>-part-…}); its version hashes their names and sizes.
   */
  static Map<String, Partition> partitions(String lakeRoot, ServingTable table) throws IOException {
    String zone = lakeRoot.replaceAll("/+$", "") + "/" + table.zone();
    MatchResult match =
        FileSystems.match(zone + "/" + ServingTable.DATE_COLUMN + "=*/*.parquet", EmptyMatchTreatment.ALLOW);
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return Map.of();
    }
    Map<String, List<MatchResult.Metadata>> byDate = new TreeMap<>();
    String marker = "/" + ServingTable.DATE_COLUMN + "=";
    for (MatchResult.Metadata file : match.metadata()) {
      String path = file.resourceId().toString();
      int at = path.lastIndexOf(marker);
      String date = path.substring(at + marker.length(), path.indexOf('/', at + marker.length()));
      byDate.computeIfAbsent(date, d -> new ArrayList<>()).add(file);
    }
    Map<String, Partition> partitions = new TreeMap<>();
    for (Map.Entry<String, List<MatchResult.Metadata>> e : byDate.entrySet()) {
      List<MatchResult.Metadata> files = new ArrayList<>(e.getValue());
      files.sort(Comparator.comparing(f -> f.resourceId().getFilename()));
      StringBuilder id = new StringBuilder();
      long bytes = 0;
      for (MatchResult.Metadata f : files) {
        id.append(f.resourceId().getFilename()).append('\t').append(f.sizeBytes()).append('\n');
        bytes += f.sizeBytes();
      }
      String name = files.get(0).resourceId().getFilename();
      int part = name.lastIndexOf("-part-");
      partitions.put(
          e.getKey(),
          new Partition(
              table,
              e.getKey(),
              files.stream().map(f -> f.resourceId().toString()).toList(),
              bytes,
              sha256(id.toString()),
              part < 0 ? "" : name.substring(0, part)));
    }
    return partitions;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The root cause in one line: the server's first line only, since PostgreSQL's detail lines can quote row values
   * (a user id).
   */
  static String cause(Throwable e) {
    Throwable t = e;
    Throwable sql = null;
    while (t != null) {
      if (t instanceof SQLException && sql == null) {
        sql = t;
      }
      if (t.getCause() == null || t.getCause() == t) {
        break;
      }
      t = t.getCause();
    }
    Throwable shown = sql != null ? sql : t;
    return (sql != null ? "database" : shown.getClass().getSimpleName()) + ": " + firstLine(shown.getMessage()).strip();
  }

  /** The first line of a message ("no detail" for none): the serving package's messages are one line each. */
  static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
