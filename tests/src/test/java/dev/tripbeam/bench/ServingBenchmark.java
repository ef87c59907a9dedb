package dev.tripbeam.bench;

import dev.tripbeam.fixtures.RegisteredLake;
import dev.tripbeam.fixtures.LocalPostgres;
import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.serving.ServingLoader;
import dev.tripbeam.serving.ServingLogin;
import dev.tripbeam.serving.ServingSchema;
import dev.tripbeam.serving.ServingTarget;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.postgresql.PGConnection;

/**
 * The serving load benchmark: {@code ROWS} user_daily rows over {@code DAYS} pickup dates (two Snappy Parquet files per
 * date, as the pipeline writes them) loaded into a real PostgreSQL 17 server on 127.0.0.1 (started here, default
 * settings), three ways, alternating, {@code RUNS} times each:
 *
 * <ul>
 *   <li>{@code plain_copy}: one {@code COPY user_daily FROM STDIN (FORMAT csv)} of the same rows (written to CSV by
 *       DuckDB beforehand, not timed) into the empty table, on one connection: the floor;
 *   <li>{@code serving_load}: tripbeam's load into the empty tables ({@link ServingLoader#level}: Parquet read, COPY
 *       into a session's staging table, delete of vanished rows, upsert, version record), {@code CONNECTIONS}
 *       connections;
 *   <li>{@code serving_reload}: the same rows again under a new lake run (every date reloaded, no row changed);
 *   <li>{@code serving_update}: the rows again with every tenth row's distance changed (every date reloaded, a tenth of
 *       the rows updated).
 * </ul>
 *
 * <p>Prints one TSV line per measured load: arm, rows, run, seconds, rows/s.
 */
public final class ServingBenchmark {
  private ServingBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(args[0]);
    int days = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    int connections = Integer.parseInt(args[3]);
    Path work = Path.of(args[4]);
    Path lake = work.resolve("lake");
    writeLake(lake, "bench1", rows, days, 0);
    Path csv = work.resolve("user_daily.csv");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duck.createStatement()) {
      s.execute(
          "COPY (SELECT user_id, pickup_date, trips, distance_miles, total_cents, first_pickup_ts, last_dropoff_ts, "
              + "journeys, distinct_zones FROM read_parquet('" + lake + "/aggregated/user_daily/*/*.parquet', "
              + "hive_partitioning=false)) TO '" + csv + "' (FORMAT csv, HEADER false)");
    }
    String password = "bench-" + Long.toHexString(System.nanoTime());
    try (LocalPostgres pg = LocalPostgres.start(work.resolve("pg"), 0, password)) {
      ServingTarget target = ServingTarget.parse(pg.jdbcUrl());
      ServingLogin login =
          ServingLogin.resolve(target, null, null, null, Map.of("PGUSER", LocalPostgres.USER, "PGPASSWORD", password));
      ServingSchema.migrate(target, login);
      System.out.println("arm\trows\trun\tseconds\trows_per_s");
      for (int run = 1; run <= runs; run++) {
        reset(pg);
        long t0 = System.nanoTime();
        long copied;
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, password);
            InputStream in = new BufferedInputStream(Files.newInputStream(csv), 1 << 20)) {
          copied =
              c.unwrap(PGConnection.class)
                  .getCopyAPI()
                  .copyIn("COPY user_daily FROM STDIN (FORMAT csv)", in);
        }
        print("plain_copy", copied, run, t0);

        reset(pg);
        t0 = System.nanoTime();
        ServingLoader.Result load = RegisteredLake.level(target, login, lake, "bench", connections);
        check(load, rows);
        print("serving_load", load.rowsInserted(), run, t0);

        renameRun(lake, "bench" + (run + 1));
        t0 = System.nanoTime();
        ServingLoader.Result reload = RegisteredLake.level(target, login, lake, "bench", connections);
        check(reload, 0);
        if (reload.rowsUnchanged() != rows) {
          throw new IllegalStateException("the reload changed rows: " + reload);
        }
        print("serving_reload", reload.rowsUnchanged(), run, t0);

        deleteTree(lake);
        writeLake(lake, "changed" + run, rows, days, 10);
        t0 = System.nanoTime();
        ServingLoader.Result update = RegisteredLake.level(target, login, lake, "bench", connections);
        check(update, 0);
        if (update.rowsUpdated() != rows / 10) {
          throw new IllegalStateException("the update did not change a tenth of the rows: " + update);
        }
        print("serving_update", update.rowsUpdated() + update.rowsUnchanged(), run, t0);
        deleteTree(lake);
        writeLake(lake, "bench1", rows, days, 0);
      }
    }
  }

  private static void check(ServingLoader.Result r, long inserted) {
    if (r.failed() || r.rowsInserted() != inserted) {
      throw new IllegalStateException("the load did not do what it should: " + r);
    }
  }

  private static void print(String arm, long rows, int run, long t0) {
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "%s\t%d\t%d\t%.2f\t%.0f%n", arm, rows, run, s, rows / s);
  }

  /** Empty tables, versions forgotten, dirty pages written: every arm starts alike. */
  private static void reset(LocalPostgres pg) throws Exception {
    try (Connection c = pg.admin();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE user_daily, zone_daily, serving_dates");
      s.execute("CHECKPOINT");
    }
  }

  private static void renameRun(Path lake, String runId) throws Exception {
    try (var files = Files.walk(lake)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        Files.move(f, f.resolveSibling(runId + name.substring(name.indexOf("-part-"))));
      }
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  /** The benchmark's rows, the same for a seed; with {@code changeEvery} > 0, every such row's distance differs. */
  private static void writeLake(Path lake, String runId, int rows, int days, int changeEvery) throws Exception {
    Random random = new Random(42);
    LocalDate start = LocalDate.parse("2024-03-04");
    int perDay = rows / days;
    int written = 0;
    for (int d = 0; d < days; d++) {
      LocalDate date = start.plusDays(d);
      int count = d == days - 1 ? rows - written : perDay;
      Path dir = lake.resolve("aggregated/user_daily/pickup_date=" + date);
      Files.createDirectories(dir);
      List<ParquetWriter<GenericRecord>> writers = new ArrayList<>();
      for (int shard = 0; shard < 2; shard++) {
        writers.add(
            AvroParquetWriter.<GenericRecord>builder(
                    new LocalOutputFile(dir.resolve(runId + "-part-0000" + shard + "-of-00002.parquet")))
                .withSchema(AvroRecords.USER_DAILY)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build());
      }
      long dayMicros = date.toEpochDay() * 86_400_000_000L;
      for (int i = 0; i < count; i++) {
        GenericRecord r = new GenericData.Record(AvroRecords.USER_DAILY);
        long first = dayMicros + (long) (random.nextDouble() * 80_000_000_000L);
        r.put("user_id", String.format(Locale.ROOT, "42-u%08d", (written + i) % 15_000_000));
        r.put("pickup_date", (int) date.toEpochDay());
        r.put("trips", 1L + random.nextInt(6));
        double miles = random.nextDouble() * 40;
        r.put("distance_miles", changeEvery > 0 && (written + i) % changeEvery == 0 ? miles + 1 : miles);
        r.put("total_cents", 500L + random.nextInt(20_000));
        r.put("first_pickup_ts", first);
        r.put("last_dropoff_ts", first + random.nextInt(5_000_000) * 1000L);
        r.put("journeys", 1L + random.nextInt(3));
        r.put("distinct_zones", 1L + random.nextInt(5));
        writers.get(i % 2).write(r);
      }
      for (ParquetWriter<GenericRecord> w : writers) {
        w.close();
      }
      written += count;
    }
  }
}
