package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.fixtures.DirectRun;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.oracles.DuckDbReference;
import dev.tripbeam.run.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-written TLC rows on New York's 2021 daylight-saving nights and app rows around New York midnight, through the
 * whole job (DirectRunner): the counts (with {@code invalid_local_time}), each unique trip's instants and New York
 * date, zone_daily and user_daily equal what DuckDB computes with its own time-zone data, and the zones carry the
 * documented Parquet types.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NewYorkTimeCrossCheckTest {
  private static final String HEADER =
      "VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,RatecodeID,"
          + "store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount,extra,mta_tax,tip_amount,"
          + "tolls_amount,improvement_surcharge,total_amount,congestion_surcharge";

  @TempDir static Path tmp;
  private Path yellow;
  private Path app;
  private Outcome outcome;

  private static String row(String pickup, String dropoff, String miles, int pu, int dO, String total) {
    return "2," + pickup + "," + dropoff + ",1," + miles + ",1,N," + pu + "," + dO + ",1,9.5,0.5,0.5,2,0,0.3," + total
        + ",2.5";
  }

  private static String app(String id, String user, String pickup, String dropoff, int pu, int dO) {
    return "{\"trip_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"pickup_ts\":\"" + pickup
        + "\",\"dropoff_ts\":\"" + dropoff + "\",\"pu_zone_id\":" + pu + ",\"do_zone_id\":" + dO
        + ",\"passenger_count\":1,\"distance_miles\":1.2,\"fare_cents\":900,\"tip_cents\":100,\"tolls_cents\":0,"
        + "\"total_cents\":1130,\"payment_type\":1}";
  }

  @BeforeAll
  void runTheJob() throws Exception {
    yellow =
        Files.write(
            tmp.resolve("yellow_dst_2021.csv"),
            List.of(
                HEADER,
                row("2021-03-14 01:55:00", "2021-03-14 03:05:00", "1.5", 142, 43, "12.80"),
                row("2021-03-14 01:59:59", "2021-03-14 03:10:00", "1.5", 142, 43, "12.81"),
                row("2021-03-14 02:30:00", "2021-03-14 03:10:00", "1.5", 142, 43, "12.82"),
                row("2021-03-14 01:40:00", "2021-03-14 02:00:00", "1.5", 142, 43, "12.83"),
                row("2021-03-14 01:59:59", "2021-03-14 03:00:00", "1.5", 142, 43, "12.84"),
                row("2021-11-07 01:50:00", "2021-11-07 01:10:00", "1.5", 236, 237, "12.80"),
                row("2021-11-07 01:30:00", "2021-11-07 01:45:00", "1.5", 236, 237, "12.81"),
                row("2021-11-07 01:30:00", "2021-11-07 01:45:00", "1.5", 236, 237, "12.81"),
                row("2021-11-07 00:50:00", "2021-11-07 01:20:00", "1.5", 236, 237, "12.82"),
                row("2021-11-07 01:50:00", "2021-11-07 02:10:00", "1.5", 236, 237, "12.83"),
                row("2021-11-07 01:30:00", "2021-11-07 02:05:00", "1.5", 236, 237, "12.81"),
                row("2021-11-07 01:30:00", "2021-11-07 01:10:00", "1.5", 236, 237, "12.81"),
                row("2021-11-07 01:50:00", "2021-11-07 00:40:00", "1.5", 236, 237, "12.84"),
                row("2021-11-06 23:50:00", "2021-11-07 00:20:00", "1.5", 236, 237, "12.85"),
                row("2021-11-07 23:50:00", "2021-11-08 00:20:00", "1.5", 236, 237, "12.86")));
    app =
        Files.write(
            tmp.resolve("app_dst.jsonl"),
            List.of(
                // 03:30Z on the 8th is 22:30 EST on the 7th; 04:40Z is 23:40 EST; 05:10Z is 00:10 EST on the 8th.
                app("a1", "u1", "2021-11-08T03:30:00Z", "2021-11-08T03:50:00Z", 236, 237),
                app("a2", "u1", "2021-11-08T04:10:00Z", "2021-11-08T04:30:00Z", 237, 236),
                app("a3", "u1", "2021-11-08T05:10:00Z", "2021-11-08T05:25:00Z", 236, 142),
                // Across the fall-back hour: 05:50Z (01:50 EDT) to 06:10Z (01:10 EST), twenty minutes.
                app("a4", "u2", "2021-11-07T05:50:00Z", "2021-11-07T06:10:00Z", 236, 237),
                app("a5", "u2", "2021-11-07T01:50:00-04:00", "2021-11-07T01:10:00-05:00", 236, 237)));
    outcome = DirectRun.run(yellow + "," + app, tmp.resolve("out"));
  }

  private DuckDbReference duck() throws Exception {
    return new DuckDbReference(List.of(yellow), List.of(), List.of(app), RealFiles.ZONES);
  }

  @Test
  void countsEqualDuckDbWithInvalidLocalTimes() throws Exception {
    assertTrue(outcome.report != null && outcome.report.reconciled(), outcome.summary);
    try (DuckDbReference duck = duck()) {
      Map<String, Long> expected = duck.counts();
      assertEquals(2L, expected.get("rejected.invalid_local_time"), expected::toString);
      assertEquals(1L, expected.get("duplicates"), "the repeated 01:30 row");
      assertEquals(
          expected,
          RealDataCrossCheckTest.reportCounts(
              new ObjectMapper().readTree(Path.of(outcome.reportPath).toFile())));
    }
  }

  @Test
  void everyTripsInstantsAndNewYorkDateEqualDuckDb() throws Exception {
    try (DuckDbReference duck = duck()) {
      List<String> expected = duck.tripTimes();
      List<String> actual =
          Outputs.typedRows(
              "select source, epoch_us(pickup_datetime), epoch_us(dropoff_datetime), pickup_date::varchar, "
                  + "strftime(pickup_local_datetime, '%Y-%m-%d %H:%M:%S') from read_parquet('" + tmp.resolve("out")
                  + "/processed/trips/*/*.parquet', hive_partitioning=false) order by all");
      assertEquals(expected, actual);
      assertTrue(actual.contains("app|1636342200000000|1636343400000000|2021-11-07|2021-11-07 22:30:00"), actual::toString);
    }
  }

  @Test
  void zoneDailyAndUserDailyUseNewYorkDatesLikeDuckDb() throws Exception {
    try (DuckDbReference duck = duck()) {
      RealDataCrossCheckTest.assertZoneDailyEquals(duck.zoneDaily(), tmp.resolve("out"));
      List<String> userDaily = duck.userDaily();
      RealDataCrossCheckTest.assertUserDailyEquals(userDaily, tmp.resolve("out"));
      // u1's three trips: two on the 7th in New York (one journey), one on the 8th.
      assertEquals(List.of("u1|2021-11-07", "u1|2021-11-08", "u2|2021-11-07"),
          userDaily.stream().map(r -> r.substring(0, r.indexOf('|', 3))).toList());
    }
  }

  @Test
  void zonesHaveInstantTimestampsAndDates() throws Exception {
    assertEquals(
        List.of("TIMESTAMP WITH TIME ZONE|TIMESTAMP WITH TIME ZONE|TIMESTAMP|TIMESTAMP|DATE"),
        Outputs.typedRows(
            "select distinct typeof(pickup_datetime), typeof(dropoff_datetime), typeof(pickup_local_datetime), "
                + "typeof(dropoff_local_datetime), typeof(pickup_date) from read_parquet('" + tmp.resolve("out")
                + "/processed/trips/*/*.parquet', hive_partitioning=false)"));
    assertEquals(
        List.of("DATE|TIMESTAMP WITH TIME ZONE|TIMESTAMP WITH TIME ZONE"),
        Outputs.typedRows(
            "select distinct typeof(pickup_date), typeof(first_pickup_ts), typeof(last_dropoff_ts) from read_parquet('"
                + tmp.resolve("out") + "/aggregated/user_daily/*/*.parquet', hive_partitioning=false)"));
    assertEquals(
        List.of("DATE"),
        Outputs.typedRows(
            "select distinct typeof(pickup_date) from read_parquet('" + tmp.resolve("out")
                + "/aggregated/zone_daily/*/*.parquet', hive_partitioning=false)"));
  }
}
