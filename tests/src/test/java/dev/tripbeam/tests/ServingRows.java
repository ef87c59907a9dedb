package dev.tripbeam.tests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Rows of a served table in one comparable form, from PostgreSQL or from DuckDB over the lake's Parquet files: dates as
 * {@code YYYY-MM-DD}, instants as epoch microseconds (both by each engine's SQL), numbers as {@link Outputs#typedRows}
 * reads them (so equal doubles mean equal bits), rows sorted.
 */
final class ServingRows {
  private ServingRows() {}

  /** The select list for PostgreSQL. */
  static String postgresColumns(ServedTable table) {
    return columns(
        table,
        (name, type) ->
            switch (type) {
              case "date" -> name + "::text";
              case "timestamp with time zone" -> "(extract(epoch from " + name + ") * 1000000)::bigint";
              default -> name;
            });
  }

  /** The select list for DuckDB over the zone's Parquet files. */
  static String duckDbColumns(ServedTable table) {
    return columns(
        table,
        (name, type) ->
            switch (type) {
              case "date" -> "strftime(" + name + ", '%Y-%m-%d')";
              case "timestamp with time zone" -> "epoch_us(" + name + ")";
              default -> name;
            });
  }

  private static String columns(ServedTable table, BiFunction<String, String, String> expression) {
    List<String> out = new ArrayList<>();
    for (String[] column : table.namesAndTypes()) {
      out.add(expression.apply(column[0], column[1]));
    }
    return String.join(", ", out);
  }

  static Connection duckDb() throws SQLException {
    return DriverManager.getConnection("jdbc:duckdb:");
  }

  /** The rows of a query, typed as {@link Outputs#typedRows(Connection, String)} gives them, sorted. */
  static List<String> of(Connection c, String sql) throws SQLException {
    List<String> rows = new ArrayList<>(Outputs.typedRows(c, sql));
    Collections.sort(rows);
    return rows;
  }

  /** Every row of a served table: from the database, and from the lake's zone under {@code lakeRoot}. */
  static List<String> inDatabase(Connection c, ServedTable table) throws SQLException {
    return of(c, "SELECT " + postgresColumns(table) + " FROM " + table.table);
  }

  /**
   * Each row's transaction id ({@code xmin}: it changes when the row is rewritten, even to equal values), keyed
   * {@code u|user|date} for user_daily and {@code z|zone|date} for zone_daily.
   */
  static Map<String, String> xmins(LocalPostgres pg) throws SQLException {
    Map<String, String> x = new TreeMap<>();
    try (Connection c = pg.admin();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT 'u|' || user_id || '|' || pickup_date, xmin::text FROM user_daily UNION ALL "
                    + "SELECT 'z|' || pu_zone_id || '|' || pickup_date, xmin::text FROM zone_daily")) {
      while (r.next()) {
        x.put(r.getString(1), r.getString(2));
      }
    }
    return x;
  }

  /** The dates of a served zone's rows in the lake (DuckDB over its Parquet files), sorted. */
  static List<String> lakeDates(String lakeRoot, ServedTable table) throws SQLException {
    List<String> rows = inLake(lakeRoot, table);
    if (rows.isEmpty()) {
      return List.of();
    }
    try (Connection c = duckDb()) {
      return of(c, "SELECT DISTINCT strftime(pickup_date, '%Y-%m-%d') FROM read_parquet('" + lakeRoot + "/"
          + table.zone + "/*/*.parquet', hive_partitioning=false)");
    }
  }

  static List<String> inLake(String lakeRoot, ServedTable table) throws SQLException {
    String glob = lakeRoot + "/" + table.zone + "/*/*.parquet";
    try (Connection c = duckDb()) {
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT count(*) FROM glob('" + glob + "')")) {
        r.next();
        if (r.getLong(1) == 0) {
          return List.of();
        }
      }
      return of(c, "SELECT " + duckDbColumns(table) + " FROM read_parquet('" + glob + "', hive_partitioning=false)");
    }
  }
}
