package dev.tripbeam.serving;

import dev.tripbeam.io.Messages;
import dev.tripbeam.lake.IcebergLake;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.checkerframework.checker.nullness.qual.Nullable;

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
  private static final AtomicInteger WORKERS = new AtomicInteger();

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
      Map<String, Object> m = new LinkedHashMap<>();
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
            Locale.ROOT, "failed (%s) after %d date(s) loaded into %s", cause, datesLoaded, target.shown());
      }
      return String.format(
          Locale.ROOT,
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

  /** A date to load ({@code partition} set; {@code held}: the database holds a version of it) or to remove. */

  /** Migrates the schema and loads every date whose lake partition the database does not hold as it is. */
  public static Result level(
      ServingTarget target, ServingLogin login, IcebergLake lake, String runId, int maxConnections) {
    return level(target, login, lake, runId, null, maxConnections);
  }

  /**
   * {@link #level(ServingTarget, ServingLogin, IcebergLake, String, int)} with the lake as run {@code asOfRun} left it
   * (each served table's last snapshot of that run) when not null.
   *
   * @throws IllegalArgumentException when a served table holds no snapshot of {@code asOfRun}
   */
  public static Result level(
      ServingTarget target,
      ServingLogin login,
      IcebergLake lake,
      String runId,
      @Nullable String asOfRun,
      int maxConnections) {
    Map<ServingTable, Long> snapshots = new EnumMap<>(ServingTable.class);
    if (asOfRun != null) {
      for (ServingTable table : ServingTable.values()) {
        snapshots.put(table, lake.snapshotOfRun(table.zone(), asOfRun));
      }
    }
    Instant start = Instant.now();
    LoadCounts counts = new LoadCounts();
    try {
      ServingSchema.migrate(target, login);
      List<DateTask> tasks = new ArrayList<>();
      Map<ServingTable, Map<String, String>> held;
      try (Connection c = ServingSessions.open(target, login)) {
        held = DateLoads.heldVersions(c);
      }
      for (ServingTable table : ServingTable.values()) {
        Map<String, LakePartition> inLake = LakePartition.of(lake, table, snapshots.get(table));
        Map<String, String> db = held.getOrDefault(table, Map.of());
        inLake.values().stream()
            .filter(p -> !p.version().equals(db.get(p.date())))
            .sorted(Comparator.comparingLong(LakePartition::bytes).reversed())
            .forEach(p -> tasks.add(new DateTask(table, p.date(), p, db.containsKey(p.date()))));
        db.keySet().stream()
            .filter(d -> !inLake.containsKey(d))
            .forEach(d -> tasks.add(new DateTask(table, d, null, true)));
      }
      int connections = Math.min(maxConnections, tasks.size());
      counts.connections = connections;
      run(target, login, tasks, connections, counts);
      if (counts.datesLoaded.sum() + counts.datesRemoved.sum() != tasks.size()) {
        throw new IllegalStateException(
            "the load ended with " + (tasks.size() - counts.datesLoaded.sum() - counts.datesRemoved.sum())
                + " of " + tasks.size() + " date(s) not done");
      }
      Result result = result(counts, "loaded", null, start);
      try (Connection c = ServingSessions.open(target, login)) {
        record(c, runId, start, result);
      }
      return result;
    } catch (IOException | SQLException | RuntimeException e) {
      return result(counts, "failed", cause(e), start);
    }
  }

  private static Result result(LoadCounts counts, String status, String cause, Instant start) {
    return new Result(
        status,
        cause,
        counts.datesLoaded.intValue(),
        counts.datesRemoved.intValue(),
        counts.inserted.sum(),
        counts.updated.sum(),
        counts.unchanged.sum(),
        counts.deleted.sum(),
        counts.connections,
        Duration.between(start, Instant.now()).toMillis() / 1000.0);
  }

  /**
   * Runs the tasks on {@code connections} workers of a fixed pool, each with its own session taking the next task until
   * none is left or one worker failed; the first failure is thrown.
   */
  private static void run(
      ServingTarget target, ServingLogin login, List<DateTask> tasks, int connections, LoadCounts counts)
      throws SQLException, IOException {
    if (tasks.isEmpty()) {
      return;
    }
    ConcurrentLinkedQueue<DateTask> queue = new ConcurrentLinkedQueue<>(tasks);
    AtomicBoolean failed = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(connections, ServingLoader::worker);
    try {
      List<Future<Void>> workers = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        workers.add(pool.submit(() -> work(target, login, queue, failed, counts)));
      }
      for (Future<Void> worker : workers) {
        awaitWorker(worker);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Void work(
      ServingTarget target, ServingLogin login, Queue<DateTask> queue, AtomicBoolean failed, LoadCounts counts)
      throws SQLException, IOException {
    try (Connection c = ServingSessions.open(target, login)) {
      c.setAutoCommit(false);
      Map<ServingTable, Boolean> staged = new HashMap<>();
      DateTask task;
      while (!failed.get() && (task = queue.poll()) != null) {
        DateLoads.apply(c, task, counts, staged);
      }
    } catch (SQLException | IOException | RuntimeException e) {
      failed.set(true);
      throw e;
    }
    return null;
  }

  /** Waits for a worker; rethrows its failure as it was thrown. */
  private static void awaitWorker(Future<Void> worker) throws SQLException, IOException {
    try {
      worker.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while loading the serving database", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException s) {
        throw s;
      } else if (cause instanceof IOException io) {
        throw io;
      } else if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause.toString(), cause);
    }
  }

  private static Thread worker(Runnable r) {
    Thread t = new Thread(r, "tripbeam-serving-" + WORKERS.incrementAndGet());
    t.setDaemon(true);
    return t;
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
    return (sql != null ? "database" : shown.getClass().getSimpleName()) + ": " + Messages.firstLine(shown.getMessage(), "no detail").strip();
  }
}
