package dev.tripbeam.oracles;

import dev.tripbeam.fixtures.Outputs;
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
 * bare lines (TLC yellow 18-column layout), the green Parquet files with DuckDB's own Parquet reader, app-format JSON
 * lines as bare lines taken apart with DuckDB's JSON functions. Produces the expected zone_daily rows, report counts
 * and the app trips' user_daily rows; shares no class with tripbeam. TLC times are New York wall-clock readings
 * resolved with DuckDB's own time-zone data ({@code timezone('America/New_York', …)}); every date is New York's.
 *
 * <p>{@code strict_mode = false}: the 2019-01 TLC sample mixes CRLF rows with an LF last line, which DuckDB's strict
 * CSV state machine rejects (and with {@code new_line = '\n'} it silently returns no rows at all).
 */
public final class DuckDbReference implements AutoCloseable {
  private final Connection connection;

  public DuckDbReference(List<Path> yellowCsv, List<Path> greenParquet, Path zones) throws SQLException {
    this(yellowCsv, greenParquet, List.of(), zones);
  }

  /**
   * With {@code appJsonl}: app-format JSON lines files (optionally gzip), read as bare text lines and taken apart with
   * DuckDB's JSON functions; amounts are integer cents, times UTC instants, deduplication by {@code trip_id} (the
   * copy with the lowest fare, then tip, tolls, passengers, payment type, user id, pickup, dropoff is kept).
   */
  public DuckDbReference(List<Path> yellowCsv, List<Path> greenParquet, List<Path> appJsonl, Path zones)
      throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
    String appList = appJsonl.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
    String csvList = yellowCsv.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
    String parquetList = greenParquet.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
    try (Statement s = connection.createStatement()) {
      s.execute("set TimeZone = 'UTC'");
      s.execute(
          "create temp table zones as select LocationID::integer as id, Borough as borough, Zone as zone "
              + "from read_csv('" + zones + "', header = true, all_varchar = true)");
      s.execute("create macro v(x) as nullif(trim(x), '')");
      s.execute("create macro dbl(x) as try_cast(v(x) as double)");
      s.execute("create macro int_ok(x) as (v(x) is null or (dbl(x) is not null and dbl(x) = floor(dbl(x))))");
      s.execute("create macro ts(x) as try_strptime(v(x), '%Y-%m-%d %H:%M:%S')");
      s.execute("create macro ts_ok(x) as (v(x) is null or ts(x) is not null)");
      s.execute("create macro instant(x) as try_cast(v(x) as timestamptz)::timestamp");
      // The instant (as a UTC timestamp) of a New York wall-clock reading at a UTC offset of -h hours, when the
      // reading exists at that offset: DuckDB's ICU time-zone data decides, not the JDK's.
      s.execute(
          "create macro ny_at(l, h) as case when timezone('America/New_York', (l + to_hours(h))::timestamptz) = l "
              + "then l + to_hours(h) end");
      s.execute("create macro ny_date(t) as strftime(timezone('America/New_York', t::timestamptz), '%Y-%m-%d')");
      s.execute("create macro instant_ok(x) as (v(x) is null or instant(x) is not null)");
      s.execute("create macro cents_ok(x) as (dbl(x) is not null and dbl(x) = floor(dbl(x)))");
      // Dollars to cents from the decimal text, half away from zero (DuckDB rounds DECIMAL that way).
      s.execute("create macro cents(x) as round(try_cast(v(x) as decimal(38, 10)) * 100)::bigint");
      s.execute("create macro j(line, key) as json_extract_string(line, '$.' || key)");
      s.execute(
          "create temp table lines as "
              + (yellowCsv.isEmpty()
                  ? "select []::varchar[] as f where false"
                  : "select string_split(rtrim(line, chr(13)), ',') as f from read_csv([" + csvList
                      + "], columns = {'line': 'VARCHAR'}, header = true, delim = E'\\x01', quote = '', "
                      + "escape = '', auto_detect = false, strict_mode = false)"));
      s.execute(
          "create temp table app_lines as select *, case when obj then line else '{}' end as doc from (select line, "
              + "case when json_valid(line) then json_type(line::json) = 'OBJECT' else false end as obj "
              + "from "
              + (appJsonl.isEmpty()
                  ? "(select ''::varchar as line where false)"
                  : "read_csv([" + appList + "], columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x01', "
                      + "quote = '', escape = '', auto_detect = false, strict_mode = false)")
              + ")");
      // 1 VendorID, 2 pickup, 3 dropoff, 4 passenger_count, 5 trip_distance, 8 PU, 9 DO, 10 payment_type,
      // 11 fare_amount, 14 tip_amount, 15 tolls_amount, 17 total_amount.
      s.execute(
          "create temp table typed as "
              + "select 'yellow' as source, null::varchar as trip_id, null::varchar as user_id, "
              + "  len(f) <> 18 or not (int_ok(f[1]) and ts_ok(f[2]) and ts_ok(f[3]) and int_ok(f[4]) "
              + "    and int_ok(f[8]) and int_ok(f[9]) and int_ok(f[10]) and dbl(f[5]) is not null "
              + "    and cents(f[11]) is not null and cents(f[14]) is not null and cents(f[15]) is not null "
              + "    and cents(f[17]) is not null) as unparseable, "
              + "  case when len(f) = 18 then dbl(f[1])::integer end as vendor, "
              + "  case when len(f) = 18 then ts(f[2]) end as pickup, "
              + "  case when len(f) = 18 then ts(f[3]) end as dropoff, "
              + "  case when len(f) = 18 then dbl(f[4])::integer end as passengers, "
              + "  case when len(f) = 18 then dbl(f[5]) end as dist, "
              + "  case when len(f) = 18 then dbl(f[8])::integer end as pu, "
              + "  case when len(f) = 18 then dbl(f[9])::integer end as do_, "
              + "  case when len(f) = 18 then cents(f[11]) end as fare_c, "
              + "  case when len(f) = 18 then cents(f[14]) end as tip_c, "
              + "  case when len(f) = 18 then cents(f[15]) end as tolls_c, "
              + "  case when len(f) = 18 then cents(f[17]) end as total_c, "
              + "  case when len(f) = 18 then dbl(f[10])::integer end as payment "
              + "from lines"
              + (greenParquet.isEmpty()
                  ? ""
                  : " union all select 'green', null, null, trip_distance is null or fare_amount is null or tip_amount is null "
                      + "or tolls_amount is null or total_amount is null, VendorID, lpep_pickup_datetime, "
                      + "lpep_dropoff_datetime, passenger_count::integer, trip_distance, PULocationID, "
                      + "DOLocationID, cents(fare_amount::varchar), cents(tip_amount::varchar), "
                      + "cents(tolls_amount::varchar), cents(total_amount::varchar), payment_type::integer "
                      + "from read_parquet([" + parquetList + "])")
              + " union all select 'app', case when obj then v(j(doc, 'trip_id')) end, "
              + "  case when obj then v(j(doc, 'user_id')) end, "
              + "  not obj or not (instant_ok(j(doc, 'pickup_ts')) and instant_ok(j(doc, 'dropoff_ts')) "
              + "    and int_ok(j(doc, 'pu_zone_id')) and int_ok(j(doc, 'do_zone_id')) "
              + "    and int_ok(j(doc, 'passenger_count')) and int_ok(j(doc, 'payment_type')) "
              + "    and dbl(j(doc, 'distance_miles')) is not null and cents_ok(j(doc, 'fare_cents')) "
              + "    and cents_ok(j(doc, 'tip_cents')) and cents_ok(j(doc, 'tolls_cents')) "
              + "    and cents_ok(j(doc, 'total_cents'))), "
              + "  null, "
              + "  case when obj then instant(j(doc, 'pickup_ts')) end, "
              + "  case when obj then instant(j(doc, 'dropoff_ts')) end, "
              + "  case when obj then dbl(j(doc, 'passenger_count'))::integer end, "
              + "  case when obj then dbl(j(doc, 'distance_miles')) end, "
              + "  case when obj then dbl(j(doc, 'pu_zone_id'))::integer end, "
              + "  case when obj then dbl(j(doc, 'do_zone_id'))::integer end, "
              + "  case when obj then dbl(j(doc, 'fare_cents'))::bigint end, "
              + "  case when obj then dbl(j(doc, 'tip_cents'))::bigint end, "
              + "  case when obj then dbl(j(doc, 'tolls_cents'))::bigint end, "
              + "  case when obj then dbl(j(doc, 'total_cents'))::bigint end, "
              + "  case when obj then dbl(j(doc, 'payment_type'))::integer end "
              + "from app_lines");
      // TLC times are New York readings: each has an EDT instant (l + 4 h), an EST one (l + 5 h), both (fall back)
      // or neither (spring forward). Of the possible pairs the shortest positive trip wins, on a tie the earlier
      // pickup; when none is positive, the earlier readings. App times are instants already.
      s.execute(
          "create temp table readings as select *, "
              + "case when source = 'app' then pickup else ny_at(pickup, 4) end as p1, "
              + "case when source <> 'app' then ny_at(pickup, 5) end as p2, "
              + "case when source = 'app' then dropoff else ny_at(dropoff, 4) end as d1, "
              + "case when source <> 'app' then ny_at(dropoff, 5) end as d2 from typed");
      s.execute(
          "create temp table timed as select * exclude (best, pickup, dropoff), pickup as pickup_read, "
              + "dropoff as dropoff_read, coalesce(best.p, p1, p2) as pickup, coalesce(best.d, d1, d2) as dropoff "
              + "from (select *, list_sort(list_filter(["
              + "{'dur': epoch_us(d1) - epoch_us(p1), 'p': p1, 'd': d1}, "
              + "{'dur': epoch_us(d2) - epoch_us(p1), 'p': p1, 'd': d2}, "
              + "{'dur': epoch_us(d1) - epoch_us(p2), 'p': p2, 'd': d1}, "
              + "{'dur': epoch_us(d2) - epoch_us(p2), 'p': p2, 'd': d2}], x -> x.dur > 0))[1] as best "
              + "from readings)");
      s.execute(
          "create temp table classified as select *, epoch_us(dropoff) - epoch_us(pickup) as dur_us, "
              + "case when unparseable then 'unparseable' "
              + "  when source = 'app' and user_id is null then 'missing_user_id' "
              + "  when pickup_read is null or dropoff_read is null then 'missing_pickup_or_dropoff_time' "
              + "  when pickup is null or dropoff is null then 'invalid_local_time' "
              + "  when pu is null or do_ is null then 'missing_zone' "
              + "  when pu not in (select id from zones) or do_ not in (select id from zones) then 'unknown_zone' "
              + "  when dropoff <= pickup then 'dropoff_not_after_pickup' "
              + "  when epoch_us(dropoff) - epoch_us(pickup) > 86400000000 then 'duration_over_24h' "
              + "  when dist < 0 then 'negative_distance' "
              + "  when dist > 500 then 'implausible_distance' "
              + "  when fare_c < 0 or total_c < 0 then 'negative_amount' "
              + "  when dist > 0 and dist * 3600000000.0 > 100 * (epoch_us(dropoff) - epoch_us(pickup)) "
              + "    then 'implausible_speed' "
              + "  else 'valid' end as outcome "
              + "from timed");
      s.execute(
          "create temp table valid as select * from classified where outcome = 'valid'");
      // Copies of one trip: TLC rows equal on the key columns, app rows with one trip_id. The first in tripbeam's
      // canonical order is kept; a copy equal to it in every content column is a duplicate, any other a conflicting
      // duplicate (rejected).
      String content =
          "{'v': vendor, 'p': pickup, 'd': dropoff, 'pu': pu, 'do': do_, 'dist': dist, 'f': fare_c, 't': tip_c, "
              + "'tl': tolls_c, 'tot': total_c, 'pc': passengers, 'pay': payment, 'u': user_id}";
      s.execute(
          "create temp table ranked as select *, row_number() over w1 as rn, "
              + content + " is not distinct from first_value(" + content + ") over w1 as same "
              + "from valid where source <> 'app' window w1 as (partition by source, vendor, pickup, dropoff, pu, do_, "
              + "dist, total_c order by fare_c, tip_c, tolls_c, passengers nulls first, payment nulls first) "
              + "union all select *, row_number() over w2 as rn, "
              + content + " is not distinct from first_value(" + content + ") over w2 as same "
              + "from valid where source = 'app' window w2 as (partition by trip_id order by fare_c, tip_c, tolls_c, "
              + "passengers nulls first, payment nulls first, user_id nulls first, vendor nulls first, pickup, "
              + "dropoff, pu, do_, dist, total_c)");
      s.execute("create temp table uniq as select * exclude (same) from ranked where rn = 1");
    }
  }

  /** Expected zone_daily rows: key {@code date|zone} to the row (doubles compared with a tolerance). */
  public Map<String, Object[]> zoneDaily() throws SQLException {
    Map<String, Object[]> rows = new TreeMap<>();
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "select ny_date(pickup) as d, pu, z.borough, z.zone, count(*), "
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

  /**
   * Expected user_daily rows of the app trips, as {@code user|date|trips|distance|total_cents|first_pickup_us|
   * last_dropoff_us|journeys|distinct_zones}: journeys by window functions (a trip whose pickup is more than 30
   * minutes after the previous trip's dropoff, in pickup order, starts a new one), distinct zones over pickups and
   * dropoffs.
   */
  public List<String> userDaily() throws SQLException {
    return Outputs.typedRows(
        connection,
        "select user_id, d, count(*), sum(dist), sum(total_c), epoch_us(min(pickup)), epoch_us(max(dropoff)), "
            + "count(*) filter (where prev is null or epoch_us(pickup) - epoch_us(prev) > 1800000000), "
            + "len(list_distinct(list(pu) || list(do_))) "
            + "from (select *, ny_date(pickup) as d, lag(dropoff) over (partition by user_id, "
            + "ny_date(pickup) order by pickup, dropoff) as prev from uniq "
            + "where source = 'app' and user_id is not null) group by user_id, d "
            + "order by user_id || '|' || d");
  }


  /**
   * Expected fare anomalies of every source, without trip ids (TLC ids are tripbeam's own hash), sorted: {@code
   * date:route|fare_per_mile|route_median|route_mad|route_trips|score}. A route-day (pickup zone to dropoff zone,
   * New York pickup date) is scored over its trips of at least 0.5 mile when it has at least 30; a trip is an anomaly
   * when |x - median| / (1.4826 * MAD) > 6, with x its fare per mile; DuckDB's median averages the middle two of an
   * even count.
   */
  public List<String> anomalies() throws SQLException {
    return Outputs.typedRows(
        connection,
        "with x as (select ny_date(pickup) as d, pu, do_, fare_c / 100.0 / dist as fpm from uniq where dist >= 0.5), "
            + "routes as (select d, pu, do_, count(*) as n, median(fpm) as med from x group by d, pu, do_ "
            + "  having count(*) >= 30), "
            + "mads as (select x.d, x.pu, x.do_, any_value(n) as n, any_value(med) as med, "
            + "  median(abs(x.fpm - med)) as mad from x join routes using (d, pu, do_) group by x.d, x.pu, x.do_) "
            + "select x.d::varchar || ':' || x.pu || '>' || x.do_, x.fpm, med, mad, n, "
            + "abs(x.fpm - med) / (1.4826 * mad) as score "
            + "from x join mads using (d, pu, do_) where mad > 0 and abs(x.fpm - med) / (1.4826 * mad) > 6 "
            + "order by 1, 2");
  }

  /**
   * Expected times of the unique trips, sorted: {@code source|pickup epoch µs|dropoff epoch µs|New York pickup date|
   * New York pickup wall clock}.
   */
  public List<String> tripTimes() throws SQLException {
    return Outputs.typedRows(
        connection,
        "select source, epoch_us(pickup), epoch_us(dropoff), ny_date(pickup), "
            + "strftime(timezone('America/New_York', pickup::timestamptz), '%Y-%m-%d %H:%M:%S') from uniq order by all");
  }

  /** The New York pickup dates of the unique trips, sorted ({@code YYYY-MM-DD}). */
  public List<String> pickupDates() throws SQLException {
    return Outputs.typedRows(connection, "select distinct ny_date(pickup) from uniq order by 1");
  }

  /**
   * Expected counts: read, valid (unique), duplicates, conflicting duplicates, and rejected per reason (conflicting
   * duplicates among them).
   */
  public Map<String, Long> counts() throws SQLException {
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
                  + "(select count(*) from ranked where rn > 1 and same), "
                  + "(select count(*) from ranked where rn > 1 and not same)")) {
        r.next();
        counts.put("read", r.getLong(1));
        counts.put("valid", r.getLong(2));
        counts.put("duplicates", r.getLong(3));
        counts.put("conflicting_duplicates", r.getLong(4));
        if (r.getLong(4) > 0) {
          counts.put("rejected.conflicting_duplicate", r.getLong(4));
        }
      }
    }
    return counts;
  }

  /**
   * What an incremental run over new files must count: the counts of every file so far less those of the files the
   * earlier runs read (a full run's counts are the sum of the incremental runs'), keys whose difference is zero left
   * out as a report leaves them out.
   */
  public static Map<String, Long> minus(Map<String, Long> all, Map<String, Long> before) {
    Map<String, Long> delta = new TreeMap<>();
    all.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0L)));
    before.keySet().forEach(k -> delta.putIfAbsent(k, -before.get(k)));
    delta.entrySet().removeIf(e -> e.getValue() == 0 && e.getKey().startsWith("rejected."));
    return delta;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
