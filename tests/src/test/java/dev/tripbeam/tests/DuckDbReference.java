package dev.tripbeam.tests;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * tripbeam's rules written again, independently, as DuckDB SQL over the same raw files: the CSV files are read as
 * bare lines (TLC yellow 18-column layout), the green Parquet files with DuckDB's own Parquet reader. Produces the
 * expected zone_daily rows and report counts.
 *
 * <p>{@code strict_mode = false}: the 2019-01 TLC sample mixes CRLF rows with an LF last line, which DuckDB's strict
 * CSV state machine rejects (and with {@code new_line = '\n'} it silently returns no rows at all).
 */
final class DuckDbReference implements AutoCloseable {
  private final Connection connection;

  DuckDbReference(List<Path> yellowCsv, List<Path> greenParquet, Path zones) throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
    String csvList = yellowCsv.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
    String parquetList = greenParquet.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
    try (Statement s = connection.createStatement()) {
      s.execute(
          "create temp table zones as select LocationID::integer as id, Borough as borough, Zone as zone "
              + "from read_csv('" + zones + "', header = true, all_varchar = true)");
      s.execute("create macro v(x) as nullif(trim(x), '')");
      s.execute("create macro dbl(x) as try_cast(v(x) as double)");
      s.execute("create macro int_ok(x) as (v(x) is null or (dbl(x) is not null and dbl(x) = floor(dbl(x))))");
      s.execute("create macro ts(x) as try_strptime(v(x), '%Y-%m-%d %H:%M:%S')");
      s.execute("create macro ts_ok(x) as (v(x) is null or ts(x) is not null)");
      s.execute(
          "create temp table lines as select string_split(rtrim(line, chr(13)), ',') as f from read_csv(["
              + csvList + "], columns = {'line': 'VARCHAR'}, header = true, delim = E'\\x01', quote = '', "
              + "escape = '', auto_detect = false, strict_mode = false)");
      // 1 VendorID, 2 pickup, 3 dropoff, 4 passenger_count, 5 trip_distance, 8 PU, 9 DO, 10 payment_type,
      // 11 fare_amount, 14 tip_amount, 15 tolls_amount, 17 total_amount.
      s.execute(
          "create temp table typed as "
              + "select 'yellow' as source, "
              + "  len(f) <> 18 or not (int_ok(f[1]) and ts_ok(f[2]) and ts_ok(f[3]) and int_ok(f[4]) "
              + "    and int_ok(f[8]) and int_ok(f[9]) and int_ok(f[10]) and dbl(f[5]) is not null "
              + "    and dbl(f[11]) is not null and dbl(f[14]) is not null and dbl(f[15]) is not null "
              + "    and dbl(f[17]) is not null) as unparseable, "
              + "  case when len(f) = 18 then dbl(f[1])::integer end as vendor, "
              + "  case when len(f) = 18 then ts(f[2]) end as pickup, "
              + "  case when len(f) = 18 then ts(f[3]) end as dropoff, "
              + "  case when len(f) = 18 then dbl(f[4])::integer end as passengers, "
              + "  case when len(f) = 18 then dbl(f[5]) end as dist, "
              + "  case when len(f) = 18 then dbl(f[8])::integer end as pu, "
              + "  case when len(f) = 18 then dbl(f[9])::integer end as do_, "
              + "  case when len(f) = 18 then dbl(f[11]) end as fare, "
              + "  case when len(f) = 18 then dbl(f[14]) end as tip, "
              + "  case when len(f) = 18 then dbl(f[15]) end as tolls, "
              + "  case when len(f) = 18 then dbl(f[17]) end as total, "
              + "  case when len(f) = 18 then dbl(f[10])::integer end as payment "
              + "from lines"
              + (greenParquet.isEmpty()
                  ? ""
                  : " union all select 'green', trip_distance is null or fare_amount is null or tip_amount is null "
                      + "or tolls_amount is null or total_amount is null, VendorID, lpep_pickup_datetime, "
                      + "lpep_dropoff_datetime, passenger_count::integer, trip_distance, PULocationID, "
                      + "DOLocationID, fare_amount, tip_amount, tolls_amount, total_amount, payment_type::integer "
                      + "from read_parquet([" + parquetList + "])"));
      s.execute(
          "create temp table classified as select *, epoch_us(dropoff) - epoch_us(pickup) as dur_us, "
              + "case when unparseable then 'unparseable' "
              + "  when pickup is null or dropoff is null then 'missing_pickup_or_dropoff_time' "
              + "  when pu is null or do_ is null then 'missing_zone' "
              + "  when pu not in (select id from zones) or do_ not in (select id from zones) then 'unknown_zone' "
              + "  when dropoff <= pickup then 'dropoff_not_after_pickup' "
              + "  when epoch_us(dropoff) - epoch_us(pickup) > 86400000000 then 'duration_over_24h' "
              + "  when dist < 0 then 'negative_distance' "
              + "  when dist > 500 then 'implausible_distance' "
              + "  when fare < 0 or total < 0 then 'negative_amount' "
              + "  when dist > 0 and dist * 3600000000.0 > 100 * (epoch_us(dropoff) - epoch_us(pickup)) "
              + "    then 'implausible_speed' "
              + "  else 'valid' end as outcome "
              + "from typed");
      s.execute(
          "create temp table valid as select *, round(fare * 100)::bigint as fare_c, "
              + "round(tip * 100)::bigint as tip_c, round(tolls * 100)::bigint as tolls_c, "
              + "round(total * 100)::bigint as total_c from classified where outcome = 'valid'");
      s.execute(
          "create temp table uniq as select * from (select *, row_number() over (partition by source, vendor, "
              + "pickup, dropoff, pu, do_, dist, total_c order by fare_c, tip_c, tolls_c, passengers nulls first, "
              + "payment nulls first) as rn from valid) where rn = 1");
    }
  }

  /** Expected zone_daily rows: key {@code date|zone} to the row (doubles compared with a tolerance). */
  Map<String, Object[]> zoneDaily() throws SQLException {
    Map<String, Object[]> rows = new TreeMap<>();
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "select strftime(pickup, '%Y-%m-%d') as d, pu, z.borough, z.zone, count(*), "
                    + "sum(coalesce(passengers, 0)), sum(dist), sum(fare_c), sum(tip_c), sum(total_c), "
                    + "avg(dur_us) / 1e6 from uniq join zones z on z.id = pu group by all")) {
      while (r.next()) {
        rows.put(
            r.getString(1) + "|" + r.getInt(2),
            new Object[] {
              r.getString(3), r.getString(4), r.getLong(5), r.getLong(6), r.getDouble(7), r.getLong(8),
              r.getLong(9), r.getLong(10), r.getDouble(11)
            });
      }
    }
    return rows;
  }

  /** Expected counts: read, valid (unique), duplicates, and rejected per reason. */
  Map<String, Long> counts() throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    try (Statement s = connection.createStatement()) {
      try (ResultSet r = s.executeQuery("select outcome, count(*) from classified group by 1")) {
        while (r.next()) {
          if (!r.getString(1).equals("valid")) {
            counts.put("rejected." + r.getString(1), r.getLong(2));
          }
        }
      }
      try (ResultSet r =
          s.executeQuery(
              "select (select count(*) from typed), (select count(*) from uniq), "
                  + "(select count(*) from valid) - (select count(*) from uniq)")) {
        r.next();
        counts.put("read", r.getLong(1));
        counts.put("valid", r.getLong(2));
        counts.put("duplicates", r.getLong(3));
      }
    }
    return counts;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
