package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.fixtures.RegisteredLake;
import dev.tripbeam.fixtures.LocalPostgres;
import dev.tripbeam.fixtures.Ports;
import dev.tripbeam.fixtures.ServedTable;
import dev.tripbeam.fixtures.ServingRows;
import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.serving.ServingLoader;
import dev.tripbeam.serving.ServingLogin;
import dev.tripbeam.serving.ServingSchema;
import dev.tripbeam.serving.ServingTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving load on a real PostgreSQL server (127.0.0.1, started here), without a pipeline: lakes written here as
 * the writers write them (the zones' Avro schemas, partition folders, {@code <runId>-part-…} names), with the values
 * that test the COPY encoding (tabs, backslashes, newlines, quotes, non-ASCII, doubles that need all their digits,
 * timestamps before 1970). Each table must equal its lake partitions row for row; a reload changes nothing; a
 * replaced date replaces exactly its rows; the migrated tables have the writers' columns; a database that is down
 * or refuses the login gives a failed result with the cause, not an exception.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServingLoaderTest {
  @TempDir static Path tmp;
  private LocalPostgres pg;
  private ServingTarget target;
  private ServingLogin login;
  private final String password = "pw-" + Long.toHexString(System.nanoTime());

  @BeforeAll
  void startServer() throws Exception {
    pg = LocalPostgres.start(tmp.resolve("pg"), 0, password);
    target = ServingTarget.parse(pg.jdbcUrl());
    login = ServingLogin.resolve(target, null, null, null, Map.of("PGUSER", "tripbeam", "PGPASSWORD", password));
  }

  @AfterAll
  void stopServer() throws Exception {
    pg.close();
  }

  @Test
  void migratedTablesHaveTheWritersColumnsAndTypes() throws Exception {
    ServingSchema.migrate(target, login);
    for (ServedTable table : ServedTable.values()) {
      List<String> expected = new ArrayList<>();
      for (String column : table.columns) {
        expected.add(column + " NOT NULL");
      }
      List<String> actual = new ArrayList<>();
      try (Connection c = pg.admin();
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = '"
                      + table.table + "' ORDER BY ordinal_position")) {
        while (r.next()) {
          actual.add(r.getString(1) + " " + r.getString(2) + (r.getString(3).equals("NO") ? " NOT NULL" : ""));
        }
      }
      assertEquals(expected, actual, table.table);
      List<String> key = new ArrayList<>();
      try (Connection c = pg.admin();
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                      + "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '" + table.table + "'::regclass "
                      + "AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)")) {
        while (r.next()) {
          key.add(r.getString(1));
        }
      }
      assertEquals(table.key, key, table.table + " primary key");
    }
    assertEquals(0, ServingSchema.migrate(target, login), "a second migration finds nothing to do");
  }

  @Test
  void loadsTheLakeExactlyAndReloadsNothing() throws Exception {
    Path lake = tmp.resolve("lake");
    writeUserDaily(lake, "run1", "2024-03-04", List.of(user("plain", "2024-03-04", 0.1 + 0.2, 1L),
        user("tab\there", "2024-03-04", 1e-300, -86_400_000_000L),
        user("back\\slash \"quoted\" 'single'", "2024-03-04", 123456.789012345, 1_709_510_400_123_456L),
        user("line\nbreak\rand ünïcødé ✓", "2024-03-04", Double.MIN_VALUE, 0L)));
    writeUserDaily(lake, "run1", "2024-03-05", List.of(user("plain", "2024-03-05", 2.5, 5L)));
    writeZoneDaily(lake, "run1", "2024-03-04", List.of(zone(1, "EWR", "Newark Airport"), zone(7, "Queens", "Astoria\tEast")));
    ServingLoader.Result first = level(lake, "load1");
    assertEquals("loaded", first.status(), first.cause());
    assertEquals(3, first.datesLoaded());
    assertEquals(7, first.rowsInserted());
    assertEqualsLake(lake);

    ServingLoader.Result again = level(lake, "load2");
    assertEquals(0, again.datesLoaded(), "the database holds every partition as the lake has it");
    Map<String, String> xminBefore = ServingRows.xmins(pg);

    // Date 2024-03-04 replaced by a later run: one user's row changed, one gone, one new; the others identical.
    Files.walk(lake.resolve("aggregated/user_daily/pickup_date=2024-03-04")).filter(Files::isRegularFile)
        .forEach(p -> p.toFile().delete());
    writeUserDaily(lake, "run2", "2024-03-04", List.of(user("plain", "2024-03-04", 0.1 + 0.2, 1L),
        user("tab\there", "2024-03-04", 7.0, -86_400_000_000L),
        user("back\\slash \"quoted\" 'single'", "2024-03-04", 123456.789012345, 1_709_510_400_123_456L),
        user("newcomer", "2024-03-04", 1.0, 1L)));
    ServingLoader.Result replaced = level(lake, "load3");
    assertEquals("loaded", replaced.status(), replaced.cause());
    assertEquals(1, replaced.datesLoaded());
    assertEquals(1, replaced.rowsInserted());
    assertEquals(1, replaced.rowsUpdated());
    assertEquals(2, replaced.rowsUnchanged());
    assertEquals(1, replaced.rowsDeleted());
    assertEqualsLake(lake);
    Map<String, String> xminAfter = ServingRows.xmins(pg);
    for (String unchanged :
        List.of("u|plain|2024-03-04", "u|plain|2024-03-05", "u|back\\slash \"quoted\" 'single'|2024-03-04")) {
      assertEquals(xminBefore.get(unchanged), xminAfter.get(unchanged), unchanged + " was rewritten");
    }
    assertFalse(xminBefore.get("u|tab\there|2024-03-04").equals(xminAfter.get("u|tab\there|2024-03-04")));

    // The lake no longer has 2024-03-05 at all: the load removes it.
    Files.walk(lake.resolve("aggregated/user_daily/pickup_date=2024-03-05")).filter(Files::isRegularFile)
        .forEach(p -> p.toFile().delete());
    ServingLoader.Result removed = level(lake, "load4");
    assertEquals(1, removed.datesRemoved());
    assertEquals(1, removed.rowsDeleted());
    assertEqualsLake(lake);
  }

  @Test
  void aDatabaseThatIsDownOrRefusesTheLoginFailsTheLoadWithItsCause() throws Exception {
    Path lake = tmp.resolve("lake-down");
    writeZoneDaily(lake, "run1", "2024-03-04", List.of(zone(1, "EWR", "Newark Airport")));
    int closed = Ports.free();
    ServingLoader.Result down =
        RegisteredLake.level(ServingTarget.parse("jdbc:postgresql://127.0.0.1:" + closed + "/tripbeam"), login, lake, "x", 4);
    assertTrue(down.failed());
    assertTrue(down.cause().contains("refused"), down.cause());
    ServingLogin wrong =
        ServingLogin.resolve(target, null, null, null, Map.of("PGUSER", "tripbeam", "PGPASSWORD", "not-it"));
    ServingLoader.Result refused = RegisteredLake.level(target, wrong, lake, "x", 4);
    assertTrue(refused.failed());
    assertTrue(refused.cause().contains("password authentication failed"), refused.cause());
    assertFalse(refused.cause().contains("not-it"));
  }

  private ServingLoader.Result level(Path lake, String runId) throws Exception {
    return RegisteredLake.level(target, login, lake, runId, 2);
  }

  /** Every row of both tables equals the lake's (DuckDB over the Parquet files, typed values compared). */
  private void assertEqualsLake(Path lake) throws Exception {
    for (ServedTable table : ServedTable.values()) {
      try (Connection c = pg.admin()) {
        assertEquals(
            ServingRows.inLake(lake.toString(), table), ServingRows.inDatabase(c, table), table.table);
      }
    }
  }

  private static GenericRecord user(String id, String date, double miles, long firstMicros) {
    GenericRecord r = new GenericData.Record(AvroRecords.USER_DAILY);
    r.put("user_id", id);
    r.put("pickup_date", (int) LocalDate.parse(date).toEpochDay());
    r.put("trips", 3L);
    r.put("distance_miles", miles);
    r.put("total_cents", 1234L);
    r.put("first_pickup_ts", firstMicros);
    r.put("last_dropoff_ts", firstMicros + 60_000_001L);
    r.put("journeys", 2L);
    r.put("distinct_zones", 4L);
    return r;
  }

  private static GenericRecord zone(int id, String borough, String name) {
    GenericRecord r = new GenericData.Record(AvroRecords.ZONE_DAILY);
    r.put("pickup_date", (int) LocalDate.parse("2024-03-04").toEpochDay());
    r.put("pu_zone_id", id);
    r.put("borough", borough);
    r.put("zone", name);
    r.put("trips", 10L);
    r.put("passengers", 12L);
    r.put("distance_miles", 33.3);
    r.put("fare_cents", 9999L);
    r.put("tip_cents", 1L);
    r.put("total_cents", 10100L);
    r.put("avg_duration_s", 612.5);
    return r;
  }

  private static void writeUserDaily(Path lake, String runId, String date, List<GenericRecord> rows) throws Exception {
    write(lake.resolve("aggregated/user_daily"), AvroRecords.USER_DAILY, runId, date, rows);
  }

  private static void writeZoneDaily(Path lake, String runId, String date, List<GenericRecord> rows) throws Exception {
    write(lake.resolve("aggregated/zone_daily"), AvroRecords.ZONE_DAILY, runId, date, rows);
  }

  private static void write(Path zone, Schema schema, String runId, String date, List<GenericRecord> rows)
      throws Exception {
    Path dir = zone.resolve("pickup_date=" + date);
    Files.createDirectories(dir);
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(dir.resolve(runId + "-part-00000-of-00001.parquet")))
            .withSchema(schema)
            .build()) {
      for (GenericRecord r : rows) {
        w.write(r);
      }
    }
  }
}
