package dev.tripbeam.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * What a single-machine user would pick: DuckDB SQL doing tripbeam's work on app-format Parquet (rules, dedup by
 * trip_id, zone_daily, user_daily with journeys, anomalies), writing Parquet. Usage: {@code --input=GLOB
 * --output=DIR --zones=CSV}.
 */
public final class DuckDbBaseline {
  private DuckDbBaseline() {}

  public static void main(String[] args) throws Exception {
    String input = arg(args, "input");
    Path out = Path.of(arg(args, "output"));
    String zones = arg(args, "zones");
    Files.createDirectories(out.resolve("aggregated"));
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("set threads = 2");
      s.execute("set preserve_insertion_order = false");
      s.execute("create temp table zones as select LocationID::integer id, Borough as borough, \"Zone\" as zname "
          + "from read_csv('" + zones + "', header = true, all_varchar = true)");
      s.execute("create temp table classified as select *, "
          + "case when total_cents is null or fare_cents is null or tip_cents is null or tolls_cents is null "
          + "  or distance_miles is null then 'unparseable' "
          + "when pickup_ts is null or dropoff_ts is null then 'missing_pickup_or_dropoff_time' "
          + "when pu_zone_id is null or do_zone_id is null then 'missing_zone' "
          + "when pu_zone_id not in (select id from zones) or do_zone_id not in (select id from zones) "
          + "  then 'unknown_zone' "
          + "when dropoff_ts <= pickup_ts then 'dropoff_not_after_pickup' "
          + "when epoch_us(dropoff_ts) - epoch_us(pickup_ts) > 86400000000 then 'duration_over_24h' "
          + "when distance_miles < 0 then 'negative_distance' "
          + "when distance_miles > 500 then 'implausible_distance' "
          + "when fare_cents < 0 or total_cents < 0 then 'negative_amount' "
          + "when distance_miles > 0 and distance_miles * 3600000000.0 > "
          + "  100 * (epoch_us(dropoff_ts) - epoch_us(pickup_ts)) then 'implausible_speed' "
          + "else 'valid' end as outcome from read_parquet('" + input + "')");
      s.execute("copy (select * from classified where outcome <> 'valid') to '" + out.resolve("rejected.parquet")
          + "' (format parquet)");
      s.execute("create temp table uniq as select * exclude (rn) from (select *, row_number() over (partition by "
          + "trip_id order by fare_cents, tip_cents, tolls_cents, passenger_count nulls first, payment_type nulls "
          + "first) rn from classified where outcome = 'valid') where rn = 1");
      s.execute("copy (select u.*, strftime(pickup_ts at time zone 'America/New_York', '%Y-%m-%d') pickup_date, "
          + "p.borough pu_borough, p.zname pu_zone, d.borough do_borough, d.zname do_zone from uniq u "
          + "join zones p on p.id = u.pu_zone_id join zones d on d.id = u.do_zone_id) to '" + out.resolve("processed")
          + "' (format parquet, partition_by (pickup_date), overwrite_or_ignore)");
      s.execute("copy (select strftime(pickup_ts at time zone 'America/New_York', '%Y-%m-%d') pickup_date, pu_zone_id, "
          + "any_value(z.borough) borough, any_value(z.zname) \"zone\", count(*) trips, "
          + "sum(coalesce(passenger_count, 0)) passengers, sum(distance_miles) distance_miles, "
          + "sum(fare_cents) fare_cents, sum(tip_cents) tip_cents, sum(total_cents) total_cents, "
          + "avg(epoch_us(dropoff_ts) - epoch_us(pickup_ts)) / 1e6 avg_duration_s from uniq "
          + "join zones z on z.id = pu_zone_id group by 1, 2) to '" + out.resolve("aggregated/zone_daily.parquet")
          + "' (format parquet)");
      s.execute("copy (with days as (select user_id, strftime(pickup_ts at time zone 'America/New_York', '%Y-%m-%d') d, "
          + "pickup_ts, dropoff_ts, pu_zone_id, do_zone_id, distance_miles, total_cents, "
          + "lag(dropoff_ts) over (partition by user_id, strftime(pickup_ts at time zone 'America/New_York', '%Y-%m-%d') "
          + "order by pickup_ts, dropoff_ts) prev from uniq) "
          + "select user_id, d pickup_date, count(*) trips, sum(distance_miles) distance_miles, "
          + "sum(total_cents) total_cents, min(pickup_ts) first_pickup_ts, max(dropoff_ts) last_dropoff_ts, "
          + "count(*) filter (where prev is null or epoch_us(pickup_ts) - epoch_us(prev) > 1800000000) journeys, "
          + "(select count(distinct z) from (select unnest(list(pu_zone_id) || list(do_zone_id)) z)) "
          + "distinct_zones from days group by 1, 2) to '" + out.resolve("aggregated/user_daily.parquet")
          + "' (format parquet)");
      s.execute("copy (with f as (select trip_id, pu_zone_id, do_zone_id, fare_cents / 100.0 / distance_miles x "
          + "from uniq where distance_miles >= 0.5), r as (select pu_zone_id, do_zone_id, median(x) med, count(*) n "
          + "from f group by all having count(*) >= 30), m as (select r.pu_zone_id, r.do_zone_id, med, n, "
          + "median(abs(x - med)) mad from f join r using (pu_zone_id, do_zone_id) group by all) "
          + "select trip_id, f.pu_zone_id, f.do_zone_id, x fare_per_mile, med route_median, mad route_mad, "
          + "n route_trips, abs(x - med) / (1.4826 * mad) score from f join m using (pu_zone_id, do_zone_id) "
          + "where mad > 0 and abs(x - med) / (1.4826 * mad) > 6) to '" + out.resolve("aggregated/anomalies.parquet")
          + "' (format parquet)");
    }
    System.out.printf("duckdb: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  private static String arg(String[] args, String name) {
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        return a.substring(name.length() + 3);
      }
    }
    throw new IllegalArgumentException("--" + name + " is required");
  }
}
