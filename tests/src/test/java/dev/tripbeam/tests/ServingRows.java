package dev.tripbeam.tests;

import dev.tripbeam.serving.ServingTable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.avro.Schema;

/**
 * Rows of a served table in one comparable form, from PostgreSQL or from DuckDB over the lake's Parquet files: dates as
 * {@code YYYY-MM-DD}, instants as epoch microseconds (both by each engine's SQL), numbers as {@link Outputs#typedRows}
 * reads them (so equal doubles mean equal bits), rows sorted.
 */
final class ServingRows {
  private ServingRows() {}

  /** The select list for PostgreSQL. */
  static String postgresColumns(ServingTable table) {
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
  static String duckDbColumns(ServingTable table) {
    return columns(
        table,
        (name, type) ->
            switch (type) {
              case "date" -> "strftime(" + name + ", '%Y-%m-%d')";
              case "timestamp with time zone" -> "epoch_us(" + name + ")";
              default -> name;
            });
  }

  private static String columns(ServingTable table, BiFunction<String, String, String> expression) {
    List<String> out = new ArrayList<>();
    for (Schema.Field f : table.schema().getFields()) {
      out.add(expression.apply(f.name(), ServingTable.sqlType(f)));
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
  static List<String> inDatabase(Connection c, ServingTable table) throws SQLException {
    return of(c, "SELECT " + postgresColumns(table) + " FROM " + table.table());
  }

  static List<String> inLake(String lakeRoot, ServingTable table) throws SQLException {
    String glob = lakeRoot + "/" + table.zone() + "/*/*.parquet";
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
