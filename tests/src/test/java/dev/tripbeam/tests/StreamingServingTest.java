package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.LocalPostgres;
import dev.tripbeam.fixtures.ServedTable;
import dev.tripbeam.fixtures.ServingRows;
import dev.tripbeam.fixtures.StreamOutputs;
import dev.tripbeam.fixtures.StreamingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job upserting into a real PostgreSQL server on 127.0.0.1 (login from the environment), watching a
 * raw prefix on embedded Flink, fed the bundled app events in two files: the open days' user_daily and zone_daily
 * rows reach the database before their days close (running aggregates); the server is killed with SIGKILL by PID
 * while the second file lands, and started again; once later data has closed the days, the database holds exactly the
 * lake's rows for every closed day and the batch run's rows for the day still open. The streaming twin of
 * ServingDatabaseTest's killed database.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class StreamingServingTest {
  @TempDir Path tmp;
  private StreamingJob stream;
  private LocalPostgres pg;

  @AfterEach
  void stop() throws Exception {
    try {
      if (stream != null) {
        stream.close();
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  @Test
  void runningAggregatesReachTheDatabaseAndSurviveItsDeath() throws Exception {
    String password = "pw-" + Long.toHexString(System.nanoTime()) + "-s7";
    pg = LocalPostgres.start(tmp.resolve("pg"), 0, password);
    int port = pg.port();
    List<String> events = StreamingJob.bundledEvents();
    List<String> closers = StreamingJob.closingTrips(1);
    int half = events.size() / 2;
    Path batchInput = Files.createDirectories(tmp.resolve("batch-input"));
    Files.write(batchInput.resolve("part-0.jsonl"), events.subList(0, half));
    Files.write(batchInput.resolve("part-1.jsonl"), events.subList(half, events.size()));
    Files.write(batchInput.resolve("part-2.jsonl"), closers);
    Path batch = tmp.resolve("batch");
    ForkedRun run = ForkedRun.main("flink", batch, "--input=" + batchInput, "--inputFormat=app", "--output=" + batch);
    assertEquals(0, run.exitCode, run.toString());
    String openDay = StreamOutputs.pickupDay(closers.get(0));

    Path raw = Files.createDirectories(tmp.resolve("raw"));
    Path output = tmp.resolve("stream");
    stream =
        StreamingJob.start(
            tmp,
            output,
            "dev.tripbeam.cli.TripCommand",
            "",
            List.of(
                "--streaming=true", "--input=" + raw, "--inputFormat=app", "--pollInterval=1s", "--paneInterval=2s",
                "--checkpointInterval=2s", "--commitInterval=2s", "--parallelism=2", "--servingJdbcUrl=" + pg.jdbcUrl()),
            Map.of("PGUSER", LocalPostgres.USER, "PGPASSWORD", password));
    Files.copy(batchInput.resolve("part-0.jsonl"), raw.resolve("part-0.jsonl"));
    stream.await(
        "running user-days of a day still open in the database",
        () -> !openInDatabaseOnly(ServedTable.USER_DAILY, output).isEmpty());

    pg.killHard(pg.serverPids());
    // The second file lands while the server is down: the job's upserts fail and are tried again (the job waits for
    // the database: back-pressure holds its checkpoints and so its files); then the server comes back.
    Files.copy(batchInput.resolve("part-1.jsonl"), raw.resolve("part-1.jsonl"));
    stream.await("an upsert tried again", () -> logs().contains("serving upsert failed"));
    pg = LocalPostgres.start(tmp.resolve("pg"), port, password);
    stream.awaitCount("the second file read", events.size(), stream::readRows);
    Files.copy(batchInput.resolve("part-2.jsonl"), raw.resolve("part-2.jsonl"));
    List<String> closedDays = StreamOutputs.zoneDays(batch).stream().filter(d -> !d.equals(openDay)).toList();
    stream.await("every closed day in the lake", () -> StreamOutputs.userDays(output).equals(closedDays));
    for (ServedTable table : ServedTable.values()) {
      stream.await(
          table.table + " in the database equal to the lake's closed days and the batch's open day",
          () -> databaseRows(table).equals(expectedRows(table, output, batch, openDay)));
    }
  }

  /** Database rows of days the lake has not closed yet. */
  private List<String> openInDatabaseOnly(ServedTable table, Path output) throws Exception {
    List<String> lakeDays = StreamOutputs.userDays(output);
    List<String> open = new ArrayList<>();
    for (String row : databaseRows(table)) {
      if (lakeDays.stream().noneMatch(row::contains)) {
        open.add(row);
      }
    }
    return open;
  }

  /** The table's rows; none before the job has migrated the schema. */
  private List<String> databaseRows(ServedTable table) throws Exception {
    try (Connection c = pg.admin()) {
      try (var s = c.createStatement();
          var r = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = '" + table.table + "'")) {
        if (r.next() && r.getLong(1) == 0) {
          return List.of();
        }
      }
      return ServingRows.inDatabase(c, table);
    }
  }

  private static List<String> expectedRows(ServedTable table, Path output, Path batch, String openDay)
      throws Exception {
    List<String> rows = new ArrayList<>(ServingRows.inLake(output.toString(), table));
    ServingRows.inLake(batch.toString(), table).stream().filter(r -> r.contains(openDay)).forEach(rows::add);
    rows.sort(null);
    return rows;
  }

  /** The job's console and engine logs so far. */
  private String logs() throws Exception {
    StringBuilder all = new StringBuilder(stream.logTail());
    try (var files = Files.walk(tmp)) {
      for (Path p : files.filter(f -> f.toString().contains("engine-logs") && Files.isRegularFile(f)).toList()) {
        all.append(Files.readString(p));
      }
    }
    return all.toString();
  }
}
