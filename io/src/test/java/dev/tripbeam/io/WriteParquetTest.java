package dev.tripbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.Zone;
import dev.tripbeam.model.ZoneDaily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Parquet written by WriteParquet opens unchanged in DuckDB with the documented types and values. */
@ExtendWith(TestPipelineExtension.class)
class WriteParquetTest {
  @TempDir Path tmp;

  /** A trip picked up at a New York wall-clock time. */
  private static Trip trip(LocalDateTime pickup, Integer passengers) {
    Instant at = pickup.atZone(ZoneId.of("America/New_York")).toInstant();
    return Trip.builder()
        .setTripId("id-" + pickup)
        .setSource("green")
        .setVendorId(2)
        .setPickup(at)
        .setDropoff(at.plusSeconds(7 * 60 + 3))
        .setPuZoneId(74)
        .setDoZoneId(43)
        .setPassengerCount(passengers)
        .setDistanceMiles(1.27)
        .setFareCents(1070)
        .setTipCents(244)
        .setTollsCents(0)
        .setTotalCents(1464)
        .setPaymentType(null)
        .setUserId(null)
        .build();
  }

  @Test
  void partitionedTripsAndZoneDailyReadBackInDuckDb(TestPipeline p) throws Exception {
    Zone harlem = Zone.of(74, "Manhattan", "East Harlem North", "Boro Zone");
    Zone park = Zone.of(43, "Manhattan", "Central Park", "Yellow Zone");
    List<EnrichedTrip> trips = new ArrayList<>();
    trips.add(EnrichedTrip.of(trip(LocalDateTime.of(2023, 12, 1, 0, 5, 9), 1), harlem, park));
    trips.add(EnrichedTrip.of(trip(LocalDateTime.of(2023, 12, 1, 23, 59, 59), null), harlem, park));
    trips.add(EnrichedTrip.of(trip(LocalDateTime.of(2023, 11, 24, 8, 0), 2), harlem, park));
    ZoneDaily row =
        ZoneDaily.builder().setPickupDate("2023-12-01").setPuZoneId(74).setBorough("Manhattan")
            .setZone("East Harlem North").setTrips(2).setPassengers(1).setDistanceMiles(2.54)
            .setFareCents(2140).setTipCents(488).setTotalCents(2928).setAvgDurationS(423.0).build();
    String tripsDir = tmp.resolve("processed/trips").toString();
    String dailyDir = tmp.resolve("aggregated/zone_daily").toString();

    p.apply("CreateTrips", Create.of(trips))
        .apply("WriteTrips", WriteParquet.to(tripsDir, tmp.resolve("_temporary/t").toString(), AvroRecords.processedTrips()).partitionedBy("pickup_date", EnrichedTrip::getPickupDate));
    p.apply("CreateDaily", Create.of(row))
        .apply("WriteDaily", WriteParquet.to(dailyDir, tmp.resolve("_temporary/d").toString(), AvroRecords.zoneDaily()));
    // One file of 500 trips over five pickup times, so that a dictionary would pay on pickup_datetime too (Parquet
    // falls back to plain encoding by itself where a dictionary does not compress, e.g. on unique ids).
    List<EnrichedTrip> many = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Trip t = trip(LocalDateTime.of(2023, 10, 1, 0, 0).plusMinutes(i % 5), 1).toBuilder().setTripId("id-" + i).build();
      many.add(EnrichedTrip.of(t, harlem, park));
    }
    String manyDir = tmp.resolve("many").toString();
    p.apply("CreateManyTrips", Create.of(many))
        .apply("WriteManyTrips",
            WriteParquet.to(manyDir, tmp.resolve("_temporary/m").toString(), AvroRecords.processedTrips())
                .withShards(1));
    p.run().waitUntilFinish();

    try (Stream<Path> dirs = Files.list(tmp.resolve("processed/trips"))) {
      assertEquals(
          List.of("pickup_date=2023-11-24", "pickup_date=2023-12-01"),
          dirs.map(d -> d.getFileName().toString()).sorted().toList());
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("set TimeZone = 'UTC'");
      try (ResultSet r =
          s.executeQuery(
              "select pickup_date::varchar, count(*), min(pickup_datetime)::varchar, sum(passenger_count), "
                  + "typeof(min(pickup_datetime)), sum(total_cents), count(payment_type), "
                  + "max(pickup_datetime)::varchar, max(pickup_local_datetime)::varchar, "
                  + "typeof(min(pickup_local_datetime)), typeof(min(pickup_date)), max(dropoff_local_datetime)::varchar "
                  + "from read_parquet('" + tripsDir + "/*/*.parquet', hive_partitioning=false) group by 1 order by 1")) {
        r.next();
        assertEquals("2023-11-24", r.getString(1));
        assertEquals("2023-11-24 13:00:00+00", r.getString(3));
        r.next();
        assertEquals("2023-12-01", r.getString(1));
        assertEquals(2, r.getLong(2));
        assertEquals("2023-12-01 05:05:09+00", r.getString(3));
        assertEquals(1, r.getLong(4));
        assertEquals("TIMESTAMP WITH TIME ZONE", r.getString(5));
        assertEquals(2928, r.getLong(6));
        assertEquals(0, r.getLong(7));
        // 23:59:59 in New York is the next day in UTC; its date (and partition) is New York's.
        assertEquals("2023-12-02 04:59:59+00", r.getString(8));
        assertEquals("2023-12-01 23:59:59", r.getString(9));
        assertEquals("TIMESTAMP", r.getString(10));
        assertEquals("DATE", r.getString(11));
        assertEquals("2023-12-02 00:07:02", r.getString(12));
      }
      // The layout's distinct columns are written plainly even where a dictionary would pay; other columns keep it.
      try (ResultSet r =
          s.executeQuery(
              "select path_in_schema, bool_or(encodings like '%DICTIONARY%') from parquet_metadata('" + manyDir
                  + "/*.parquet') where path_in_schema in ('trip_id', 'pickup_datetime', 'pu_borough') "
                  + "group by 1 order by 1")) {
        List<String> dictionaries = new ArrayList<>();
        while (r.next()) {
          dictionaries.add(r.getString(1) + "=" + r.getBoolean(2));
        }
        assertEquals(List.of("pickup_datetime=false", "pu_borough=true", "trip_id=false"), dictionaries);
      }
      try (ResultSet r =
          s.executeQuery("select * from read_parquet('" + dailyDir + "/*.parquet')")) {
        r.next();
        assertEquals("2023-12-01", r.getString("pickup_date"));
        assertEquals(74, r.getInt("pu_zone_id"));
        assertEquals("East Harlem North", r.getString("zone"));
        assertEquals(2, r.getLong("trips"));
        assertEquals(2.54, r.getDouble("distance_miles"));
        assertEquals(2928, r.getLong("total_cents"));
        assertEquals(423.0, r.getDouble("avg_duration_s"));
      }
    }
  }
}
