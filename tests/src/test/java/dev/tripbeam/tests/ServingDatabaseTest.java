package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Generated;
import dev.tripbeam.fixtures.LocalPostgres;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.PersonalData;
import dev.tripbeam.fixtures.Ports;
import dev.tripbeam.fixtures.ServedTable;
import dev.tripbeam.fixtures.ServingRows;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving database end to end: the tripbeam command on embedded Flink (forked JVMs, as a user runs it) loading a
 * real PostgreSQL server on 127.0.0.1 with a password login from the environment, over generated app-format trips
 * (two data sets sharing a date). In order: a full run loads both tables equal to the lake's zones (every row, DuckDB
 * over the Parquet files); the same run again rewrites no row; an incremental run reloads only the dates it touched;
 * a run whose database is killed (SIGKILL to the postmaster, by PID) part way through the load keeps its lake
 * publication, says {@code serving: failed} with the cause and exits 3, and {@code --serveOnly} after a restart brings
 * the database level; a reprocess that empties a date removes its rows from both tables; {@code --serveOnly
 * --asOfRun=R} loads the rows the database held after run R (from R's snapshots), and the next {@code --serveOnly}
 * brings it level again. PostgreSQL itself holds the
 * role to {@code --servingMaxConnections} sessions ({@code CONNECTION LIMIT}), so one more fails the load. Neither the
 * password nor a user id or trip id appears in any output or log, failed loads' included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES) // a hang guard (a run that never reaches the lock), not a target
class ServingDatabaseTest {
  private static final int MAX_CONNECTIONS = 2;
  @TempDir static Path tmp;
  private final String password = "pw-" + Long.toHexString(System.nanoTime()) + "-x9";
  private volatile LocalPostgres pg;
  private int port;
  private Path lake;
  private Path logs;
  private String dataA;
  private String dataB;
  private final List<String> outputs = new ArrayList<>();
  private final Map<ServedTable, List<String>> afterIncremental = new EnumMap<>(ServedTable.class);

  @BeforeAll
  void startAndGenerate() throws Exception {
    pg = LocalPostgres.start(tmp.resolve("pg"), 0, password);
    port = pg.port();
    lake = tmp.resolve("lake");
    logs = tmp.resolve("logs");
    try (Connection c = pg.admin(); Statement s = c.createStatement()) {
      s.execute("ALTER ROLE " + LocalPostgres.USER + " CONNECTION LIMIT " + MAX_CONNECTIONS);
    }
    dataA = Generated.appTrips(tmp.resolve("a"), "parquet", "--users=150", "--trips=3000", "--days=4",
        "--start=2024-03-04", "--seed=11").toString();
    dataB = Generated.appTrips(tmp.resolve("b"), "jsonl", "--users=150", "--trips=1500", "--days=2",
        "--start=2024-03-07", "--seed=12").toString();
  }

  @AfterAll
  void stop() throws Exception {
    pg.close();
  }

  @Test
  @Order(1)
  void aFullRunLoadsBothTablesEqualToTheLake() throws Exception {
    ForkedRun run = run("r1", "--input=" + dataA);
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.stdout.contains("serving     loaded postgresql://127.0.0.1:" + port + "/tripbeam"), run.stdout);
    JsonNode serving = report("r1").path("serving");
    assertEquals("loaded", serving.path("status").asText());
    assertEquals(MAX_CONNECTIONS, serving.path("connections").asInt(), serving.toString());
    assertEquals(0, serving.path("rows_updated").asLong());
    long lakeRows = 0;
    for (ServedTable table : ServedTable.values()) {
      lakeRows += ServingRows.inLake(lake.toString(), table).size();
    }
    assertEquals(lakeRows, serving.path("rows_inserted").asLong(), "every row of the lake inserted: " + serving);
    assertEquals(lakePartitions(), serving.path("dates_loaded").asInt(), serving.toString());
    assertTableEqualsLake();
    assertTrue(rows("SELECT count(*) FROM user_daily") > 100);
  }

  @Test
  @Order(2)
  void theSameRunAgainRewritesNoRow() throws Exception {
    Map<String, String> before = ServingRows.xmins(pg);
    ForkedRun run = run("r2", "--input=" + dataA);
    assertEquals(0, run.exitCode, run.toString());
    JsonNode serving = report("r2").path("serving");
    assertEquals("loaded", serving.path("status").asText());
    assertEquals(lakePartitions(), serving.path("dates_loaded").asInt(), "a full refresh replaces every partition");
    assertEquals(0, serving.path("rows_inserted").asLong() + serving.path("rows_updated").asLong()
        + serving.path("rows_deleted").asLong(), serving.toString());
    assertEquals(before, ServingRows.xmins(pg), "no row was rewritten");
    assertTableEqualsLake();

    ForkedRun serve = serveOnly("s2");
    assertEquals(0, serve.exitCode, serve.toString());
    assertTrue(serve.stdout.contains("0 date(s) loaded, 0 removed"), serve.stdout);
  }

  @Test
  @Order(3)
  void anIncrementalRunReloadsOnlyTheDatesItTouched() throws Exception {
    Map<String, String> before = ServingRows.xmins(pg);
    Map<String, String> versionsBefore = versions();
    ForkedRun run = run("r3", "--input=" + dataA + "," + dataB, "--incremental=true");
    assertEquals(0, run.exitCode, run.toString());
    JsonNode report = report("r3");
    List<String> touched = new ArrayList<>();
    report.path("pickup_dates_recomputed").forEach(d -> touched.add(d.asText()));
    assertEquals(Generated.nyPickupDates(Path.of(dataB)), touched, "the dates of the new file's trips, and only those");
    Map<String, String> versionsAfter = versions();
    for (Map.Entry<String, String> v : versionsAfter.entrySet()) {
      String date = v.getKey().substring(v.getKey().indexOf('|') + 1);
      assertEquals(
          touched.contains(date), !v.getValue().equals(versionsBefore.get(v.getKey())), v.getKey() + " reloaded?");
    }
    Map<String, String> after = ServingRows.xmins(pg);
    before.forEach(
        (key, xmin) -> {
          if (!touched.contains(key.substring(key.lastIndexOf('|') + 1))) {
            assertEquals(xmin, after.get(key), key + " is on a date the run did not touch, yet was rewritten");
          }
        });
    assertTableEqualsLake();

    // A later run with nothing new still brings the database level: here a date it lost track of, one of whose rows
    // was changed and another deleted behind its back.
    try (Connection c = pg.admin(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM serving_dates WHERE table_name = 'zone_daily' AND pickup_date = '2024-03-04'");
      assertEquals(1, s.executeUpdate("UPDATE zone_daily SET trips = trips + 7 WHERE pickup_date = '2024-03-04' AND "
          + "pu_zone_id = (SELECT min(pu_zone_id) FROM zone_daily WHERE pickup_date = '2024-03-04')"));
      assertEquals(1, s.executeUpdate("DELETE FROM zone_daily WHERE pickup_date = '2024-03-04' AND "
          + "pu_zone_id = (SELECT max(pu_zone_id) FROM zone_daily WHERE pickup_date = '2024-03-04')"));
    }
    ForkedRun nothingNew = run("r3b", "--input=" + dataA + "," + dataB, "--incremental=true");
    assertEquals(0, nothingNew.exitCode, nothingNew.toString());
    assertTrue(nothingNew.stdout.contains("no new raw file"), nothingNew.stdout);
    assertTrue(nothingNew.stdout.contains("serving     loaded postgresql://127.0.0.1:" + port + "/tripbeam: 1 date(s) "
        + "loaded"), nothingNew.stdout);
    // A run with no new file writes no report; the load's own record in the database has its counts.
    assertEquals("1|0|1|1|0",
        row("SELECT dates_loaded || '|' || dates_removed || '|' || rows_inserted || '|' || rows_updated || '|' || "
            + "rows_deleted FROM serving_loads WHERE run_id = 'r3b'"),
        "the date reloaded: the deleted row inserted, the changed row updated, nothing else");
    assertTableEqualsLake();
    try (Connection c = pg.admin()) {
      for (ServedTable table : ServedTable.values()) {
        afterIncremental.put(table, ServingRows.inDatabase(c, table));
      }
    }
  }

  @Test
  @Order(4)
  void aReprocessThatEmptiesADateRemovesItsRowsFromBothTables() throws Exception {
    String gone = "2024-03-09";
    assertEquals("0", Outputs.query("select count(*) from read_parquet('" + dataA + "') where strftime(timezone("
        + "'America/New_York', pickup_ts), '%Y-%m-%d') = '" + gone + "'").get(0), "the other data set has no trip then");
    Path file = Path.of(dataB);
    List<String> lines = Files.readAllLines(file);
    List<String> kept = new ArrayList<>();
    for (String line : lines) {
      if (!gone.equals(Generated.nyPickupDate(line))) {
        kept.add(line);
      }
    }
    assertTrue(kept.size() < lines.size() && !kept.isEmpty(), "the file holds trips of " + gone + " and of other days");
    for (ServedTable table : ServedTable.values()) {
      assertTrue(rows("SELECT count(*) FROM " + table.table + " WHERE pickup_date = '" + gone + "'") > 0, table.table);
    }
    // The operator replaces the raw file (its trips of that date were wrong) and rebuilds the date.
    Files.write(file, kept);
    ForkedRun run = run("r3c", "--reprocess=" + gone);
    assertEquals(0, run.exitCode, run.toString());
    JsonNode serving = report("r3c").path("serving");
    assertEquals("loaded", serving.path("status").asText(), serving.toString());
    assertEquals(ServedTable.values().length, serving.path("dates_removed").asInt(), "the date, from each table");
    assertEquals(0, serving.path("dates_loaded").asInt(), serving.toString());
    for (ServedTable table : ServedTable.values()) {
      assertEquals(0, rows("SELECT count(*) FROM " + table.table + " WHERE pickup_date = '" + gone + "'"), table.table);
      assertEquals(0, rows("SELECT count(*) FROM serving_dates WHERE table_name = '" + table.table
          + "' AND pickup_date = '" + gone + "'"), table.table + " holds no version of the date");
    }
    assertTableEqualsLake();
  }

  @Test
  @Order(5)
  void serveOnlyAsOfAnEarlierRunLoadsTheLakeAsThatRunLeftItThenLevelAgain() throws Exception {
    ForkedRun past = run("s5a", "--serveOnly=true", "--asOfRun=r3");
    assertEquals(0, past.exitCode, past.toString());
    assertTrue(past.stdout.contains("as of run r3 into the serving database"), past.stdout);
    try (Connection c = pg.admin()) {
      for (ServedTable table : ServedTable.values()) {
        assertEquals(afterIncremental.get(table), ServingRows.inDatabase(c, table),
            table.table + ": the rows the database held after run r3, the date r3c removed back");
      }
    }
    ForkedRun level = serveOnly("s5b");
    assertEquals(0, level.exitCode, level.toString());
    assertTableEqualsLake();

    ForkedRun unknown = run("s5c", "--serveOnly=true", "--asOfRun=r0");
    assertEquals(1, unknown.exitCode, unknown.toString());
    assertTrue(unknown.stderr.contains("tripbeam: the lake's table user_daily holds no snapshot of run r0"),
        unknown.stderr);
    assertFalse(unknown.stderr.contains("\tat "), "no stack trace: " + unknown.stderr);
    ForkedRun misplaced = run("s5d", "--input=" + dataA, "--asOfRun=r3");
    assertEquals(2, misplaced.exitCode, misplaced.toString());
    assertTrue(misplaced.stderr.contains("--asOfRun is for --serveOnly=true"), misplaced.stderr);
    assertTableEqualsLake();
  }

  @Test
  @Order(6)
  void aDatabaseKilledMidLoadLeavesTheLakePublishedAndServeOnlyBringsItLevel() throws Exception {
    String lockedDate = "2024-03-05";
    Connection holder = pg.admin();
    try (Statement s = holder.createStatement()) {
      s.execute("INSERT INTO zone_daily VALUES ('" + lockedDate + "', 9999, 'Nowhere', 'Not in the lake', 1, 1, 1, 1, 1,"
          + " 1, 1)");
      holder.setAutoCommit(false);
      s.execute("SELECT * FROM zone_daily WHERE pickup_date = '" + lockedDate + "' AND pu_zone_id = 9999 FOR UPDATE");
    }
    // The run rewrites the lake from the same raw files: the same dates, every one loaded again but the locked one.
    long partitions = lakePartitions();
    ProcessBuilder command = command("r4", "--input=" + dataA + "," + dataB);
    File out = tmp.resolve("r4.out").toFile();
    File err = tmp.resolve("r4.err").toFile();
    Process job = command.redirectOutput(out).redirectError(err).start();
    // The load of the locked date waits for the row lock; the other connection loads every other date, committing
    // each: the kill comes once all of them are committed and the one session left waits on the lock.
    List<Long> serverPids;
    while (true) {
      assertTrue(job.isAlive(), "the run ended before the database was killed: " + Files.readString(out.toPath()));
      long committed = rows("SELECT count(*) FROM serving_dates WHERE lake_run_id = 'r4'");
      assertTrue(committed <= partitions - 1, committed + " dates committed, the locked one among them?");
      if (committed == partitions - 1
          && rows("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tripbeam' AND wait_event_type = "
              + "'Lock'") == 1) {
        serverPids = pg.serverPids();
        break;
      }
      Thread.sleep(200);
    }
    long loadedBeforeKill = rows("SELECT count(*) FROM serving_dates WHERE lake_run_id = 'r4'");
    pg.killHard(serverPids);
    try {
      holder.close();
    } catch (SQLException e) {
      // the server it was connected to is gone
    }
    job.waitFor();
    String stdout = Files.readString(out.toPath());
    String stderr = Files.readString(err.toPath());
    outputs.add(stdout);
    outputs.add(stderr);
    assertEquals(3, job.exitValue(), stdout + stderr);
    assertTrue(stdout.contains("serving     failed (database: "), stdout);
    assertTrue(stderr.contains("tripbeam: the lake is published, but loading the serving database failed"), stderr);
    assertTrue(stderr.contains("--serveOnly=true --output=" + lake), stderr);
    assertFalse(stderr.contains("\tat "), "no stack trace for the user: " + stderr);
    assertTrue(Files.exists(lake.resolve("_reports/run-r4.json")) && !Files.exists(lake.resolve("_pending/r4.json")),
        "the lake publication stands");
    JsonNode serving = report("r4").path("serving");
    assertEquals("failed", serving.path("status").asText(), serving.toString());
    assertTrue(serving.path("cause").asText().startsWith("database: "), serving.toString());

    pg = LocalPostgres.start(tmp.resolve("pg"), port, password);
    long total = lakePartitions();
    assertEquals(partitions, total, "the run wrote the same dates");
    assertEquals(loadedBeforeKill, rows("SELECT count(*) FROM serving_dates WHERE lake_run_id = 'r4'"),
        "the dates committed before the kill survive it");
    assertEquals(total - 1, loadedBeforeKill, "every date but the locked one was loaded before the kill");
    ForkedRun serve = serveOnly("s4");
    assertEquals(0, serve.exitCode, serve.toString());
    assertTrue(serve.stdout.contains("1 date(s) loaded, 0 removed"), serve.stdout);
    assertEquals(0, rows("SELECT count(*) FROM zone_daily WHERE pu_zone_id = 9999"));
    assertEquals(total, rows("SELECT count(*) FROM serving_dates WHERE lake_run_id = 'r4'"));
    assertTableEqualsLake();
  }

  @Test
  @Order(7)
  void aReloadWhileTheDatabaseIsDownExits3WithTheCause() throws Exception {
    int closed = Ports.free();
    List<String> args = new ArrayList<>(List.of("--serveOnly=true", "--output=" + lake, "--runId=s5", "--logDir=" + logs,
        "--servingJdbcUrl=jdbc:postgresql://127.0.0.1:" + closed + "/tripbeam"));
    ProcessBuilder pb = ForkedRun.start("flink", List.of(), args.toArray(new String[0]));
    pb.environment().put("PGUSER", LocalPostgres.USER);
    pb.environment().put("PGPASSWORD", password);
    ForkedRun serve = ForkedRun.command(pb, tmp.resolve("runs").resolve("s5"));
    outputs.add(serve.stdout);
    outputs.add(serve.stderr);
    assertEquals(3, serve.exitCode, serve.toString());
    assertTrue(serve.stdout.contains("serving     failed (database: Connection to 127.0.0.1:" + closed + " refused"),
        serve.stdout);
    assertTrue(serve.stderr.contains("tripbeam: the serving database is not level with the lake"), serve.stderr);
    assertFalse(serve.stderr.contains("\tat "), serve.stderr);
  }

  @Test
  @Order(8)
  void noPasswordUserIdOrTripIdInAnyOutputLogOrReport() throws Exception {
    Map<String, String> texts = new TreeMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      texts.put("output " + i, outputs.get(i));
    }
    texts.putAll(PersonalData.files(logs));
    texts.putAll(PersonalData.files(lake.resolve("_reports")));
    assertTrue(texts.keySet().stream().anyMatch(k -> k.endsWith(".log")), "the runs' logs: " + texts.keySet());
    PersonalData ids = PersonalData.inAppTrips(Path.of(dataA).getParent(), Path.of(dataB).getParent());
    for (Map.Entry<String, String> text : texts.entrySet()) {
      assertFalse(text.getValue().contains(password), "the password appears in " + text.getKey());
      ids.assertAbsent(text.getKey(), text.getValue());
    }
  }

  private ProcessBuilder command(String runId, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--output=" + lake);
    all.add("--runId=" + runId);
    all.add("--logDir=" + logs);
    all.add("--servingJdbcUrl=" + "jdbc:postgresql://127.0.0.1:" + port + "/tripbeam");
    all.add("--servingMaxConnections=" + MAX_CONNECTIONS);
    ProcessBuilder pb = ForkedRun.start("flink", List.of(), all.toArray(new String[0]));
    pb.environment().put("PGUSER", LocalPostgres.USER);
    pb.environment().put("PGPASSWORD", password);
    return pb;
  }

  private ForkedRun run(String runId, String... args) throws Exception {
    ForkedRun run = ForkedRun.command(command(runId, args), tmp.resolve("runs").resolve(runId));
    outputs.add(run.stdout);
    outputs.add(run.stderr);
    return run;
  }

  private ForkedRun serveOnly(String runId) throws Exception {
    return run(runId, "--serveOnly=true");
  }

  private JsonNode report(String runId) throws Exception {
    return new ObjectMapper().readTree(lake.resolve("_reports/run-" + runId + ".json").toFile());
  }

  private void assertTableEqualsLake() throws Exception {
    for (ServedTable table : ServedTable.values()) {
      try (Connection c = pg.admin()) {
        List<String> inLake = ServingRows.inLake(lake.toString(), table);
        assertFalse(inLake.isEmpty(), table.table);
        assertEquals(inLake, ServingRows.inDatabase(c, table), table.table);
      }
    }
  }

  /** The lake's (table, date) partitions of the served zones, as DuckDB reads the dates in their files. */
  private long lakePartitions() throws Exception {
    long n = 0;
    for (ServedTable table : ServedTable.values()) {
      n += ServingRows.lakeDates(lake.toString(), table).size();
    }
    return n;
  }

  private String row(String sql) throws SQLException {
    try (Connection c = pg.admin();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      assertTrue(r.next(), sql);
      return r.getString(1);
    }
  }

  private long rows(String sql) throws SQLException {
    try (Connection c = pg.admin();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private Map<String, String> versions() throws SQLException {
    Map<String, String> v = new TreeMap<>();
    try (Connection c = pg.admin();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT table_name || '|' || pickup_date, partition_version FROM serving_dates")) {
      while (r.next()) {
        v.put(r.getString(1), r.getString(2));
      }
    }
    return v;
  }
}
