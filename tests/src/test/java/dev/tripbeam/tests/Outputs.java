package dev.tripbeam.tests;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads a run's outputs back with DuckDB, in a form that compares exactly between runs. */
final class Outputs {
  private Outputs() {}

  static List<String> query(String sql) throws SQLException {
    return typedRows(sql);
  }

  /** Runs a statement that returns no rows (COPY, CREATE). */
  static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * Whether a zone's glob (a folder under the output; partitioned zones end in {@code /*}) holds any Parquet file: a
   * partitioned zone without rows has no partition, and DuckDB refuses a glob that matches nothing.
   */
  static boolean hasFiles(Path output, String zone) throws SQLException {
    return !query("select count(*) from glob('" + output + "/" + zone + "/*.parquet')").get(0).equals("0");
  }

  /** Every zone_daily row, every column, sorted. */
  static List<String> zoneDaily(Path output) throws SQLException {
    if (!hasFiles(output, "aggregated/zone_daily/*")) {
      return List.of();
    }
    return query(
        "select pickup_date, pu_zone_id, borough, zone, trips, passengers, distance_miles, fare_cents, tip_cents, "
            + "total_cents, avg_duration_s from read_parquet('" + output
            + "/aggregated/zone_daily/*/*.parquet', hive_partitioning=false) "
            + "order by pickup_date, pu_zone_id");
  }

  /** Reads rows with typed getters and formats them as Java does, so they compare exactly with a Java model. */
  static List<String> typedRows(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      return typedRows(c, sql);
    }
  }

  /**
   * {@link #typedRows(String)} on a given connection (one that holds temporary tables, or another engine's: types are
   * told by their JDBC codes, so PostgreSQL's float8 and int8 format as DuckDB's DOUBLE and BIGINT do).
   */
  static List<String> typedRows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      ResultSetMetaData meta = r.getMetaData();
      List<String> rows = new ArrayList<>();
      while (r.next()) {
        List<String> fields = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          int type = meta.getColumnType(i);
          fields.add(
              type == Types.DOUBLE
                  ? Double.toString(r.getDouble(i))
                  : type == Types.BIGINT || type == Types.INTEGER ? Long.toString(r.getLong(i)) : r.getString(i));
        }
        rows.add(String.join("|", fields));
      }
      return rows;
    }
  }

  /** user_daily rows in {@link ReferenceModel#userDaily()} form. */
  static List<String> userDaily(Path output) throws SQLException {
    if (!hasFiles(output, "aggregated/user_daily/*")) {
      return List.of();
    }
    return typedRows(
        "select user_id, pickup_date, trips, distance_miles, total_cents, epoch_us(first_pickup_ts), "
            + "epoch_us(last_dropoff_ts), journeys, distinct_zones from read_parquet('" + output
            + "/aggregated/user_daily/*/*.parquet', hive_partitioning=false) order by user_id || '|' || pickup_date");
  }

  /** anomaly rows in {@link ReferenceModel#anomalies()} form. */
  static List<String> anomalies(Path output) throws SQLException {
    if (!hasFiles(output, "aggregated/anomalies/*")) {
      return List.of();
    }
    return typedRows(
        "select trip_id, pu_zone_id::varchar || '>' || do_zone_id::varchar, fare_per_mile, route_median, route_mad, "
            + "route_trips, score from read_parquet('" + output
            + "/aggregated/anomalies/*/*.parquet', hive_partitioning=false) order by trip_id");
  }

  /** Row count and an order-independent fingerprint of every column of the processed trips. */
  static String processedFingerprint(Path output) throws SQLException {
    return fingerprint(output, "processed/trips/*");
  }

  /**
   * The {@link #fingerprint} of the processed trips without their lineage columns ({@code source_file}, {@code
   * source_row}), for runs that read the same trips from different sources.
   */
  static String processedContent(Path output) throws SQLException {
    if (!hasFiles(output, "processed/trips/*")) {
      return "0|no file";
    }
    return query(
            "select count(*), md5(coalesce(string_agg(t::varchar, chr(10) order by t::varchar), '')) from (select * "
                + "exclude (source_file, source_row) from read_parquet('" + output
                + "/processed/trips/*/*.parquet', hive_partitioning=false)) t")
        .get(0);
  }

  /**
   * {@code count|md5} over every column of every row of one zone (a folder under the output): each row rendered whole
   * by DuckDB ({@code t::varchar} of the row), the renderings sorted, so any difference in any column shows.
   */
  static String fingerprint(Path output, String zone) throws SQLException {
    if (!hasFiles(output, zone)) {
      return "0|no file";
    }
    return query(
            "select count(*), md5(coalesce(string_agg(t::varchar, chr(10) order by t::varchar), '')) "
                + "from read_parquet('" + output + "/" + zone + "/*.parquet', hive_partitioning=false) t")
        .get(0);
  }

  /** The fingerprint of every zone a run writes: processed trips, the three aggregates and the rejected records. */
  static Map<String, String> zones(Path output) throws SQLException {
    Map<String, String> zones = new LinkedHashMap<>();
    for (String zone :
        List.of("processed/trips/*", "aggregated/zone_daily/*", "aggregated/user_daily/*", "aggregated/anomalies/*",
            "rejected")) {
      zones.put(zone, fingerprint(output, zone));
    }
    return zones;
  }

  /** Rejected rows per reason, read from the rejected zone itself. */
  static List<String> rejectedByReason(Path output) throws SQLException {
    return query(
        "select reason, count(*) from read_parquet('" + output + "/rejected/*.parquet') group by 1 order by 1");
  }

  /** The attempted value of one counter of a finished run. */
  static long counter(PipelineResult result, String namespace, String name) {
    return result.metrics()
        .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(namespace, name)).build())
        .getCounters()
        .iterator()
        .next()
        .getAttempted();
  }
}
