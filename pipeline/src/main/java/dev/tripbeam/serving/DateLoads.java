package dev.tripbeam.serving;

import dev.tripbeam.io.ParquetRecords;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The SQL of one date's load on one connection, each a transaction: a new date copied straight in, a held date merged
 * through the session's staging table (changed rows only), a date the lake no longer has removed; and the versions the
 * database holds.
 */
final class DateLoads {
  private static final int COPY_CHUNK_BYTES = 1 << 20;

  private DateLoads() {}

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

  /** Does what {@code task} says: removes its date, or loads it new or merged. */
  static void apply(Connection c, DateTask task, LoadCounts counts, Map<ServingTable, Boolean> staged)
      throws SQLException, IOException {
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

  /** Whether the table has rows of the partition's date (a date it holds no version of may have some: lost track of). */
  private static boolean hasRows(Connection c, LakePartition p) throws SQLException {
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
  private static void loadNew(Connection c, LakePartition p, LoadCounts counts) throws SQLException, IOException {
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
  private static void load(Connection c, LakePartition p, LoadCounts counts) throws SQLException, IOException {
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

  private static void recordVersion(Connection c, LakePartition p, long rows) throws SQLException {
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
  private static long copy(Connection c, LakePartition p, String into) throws SQLException, IOException {
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

  private static void remove(Connection c, ServingTable table, String date, LoadCounts counts) throws SQLException {
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

  static Map<ServingTable, Map<String, String>> heldVersions(Connection c) throws SQLException {
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
}
