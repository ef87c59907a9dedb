package dev.tripbeam.tests;

import java.util.ArrayList;
import java.util.List;

/**
 * The serving database's tables as the serving contract (README, docs/serving.md) states them, written out here and
 * not read from tripbeam: the table, the lake zone it mirrors, each column with its PostgreSQL type (as {@code
 * information_schema.columns.data_type} names it), and the primary key. A change of tripbeam's {@code ServingTable}
 * that these do not follow fails the serving tests.
 */
enum ServedTable {
  USER_DAILY(
      "user_daily",
      "aggregated/user_daily",
      List.of(
          "user_id text", "pickup_date date", "trips bigint", "distance_miles double precision",
          "total_cents bigint", "first_pickup_ts timestamp with time zone",
          "last_dropoff_ts timestamp with time zone", "journeys bigint", "distinct_zones bigint"),
      List.of("user_id", "pickup_date")),
  ZONE_DAILY(
      "zone_daily",
      "aggregated/zone_daily",
      List.of(
          "pickup_date date", "pu_zone_id integer", "borough text", "zone text", "trips bigint", "passengers bigint",
          "distance_miles double precision", "fare_cents bigint", "tip_cents bigint", "total_cents bigint",
          "avg_duration_s double precision"),
      List.of("pickup_date", "pu_zone_id"));

  final String table;
  final String zone;
  /** {@code name type}, in column order. */
  final List<String> columns;
  final List<String> key;

  ServedTable(String table, String zone, List<String> columns, List<String> key) {
    this.table = table;
    this.zone = zone;
    this.columns = columns;
    this.key = key;
  }

  /** Each column's name and type, split. */
  List<String[]> namesAndTypes() {
    List<String[]> out = new ArrayList<>();
    for (String c : columns) {
      int space = c.indexOf(' ');
      out.add(new String[] {c.substring(0, space), c.substring(space + 1)});
    }
    return out;
  }
}
