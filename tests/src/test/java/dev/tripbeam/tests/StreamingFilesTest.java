package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.fixtures.StreamOutputs;
import dev.tripbeam.fixtures.StreamingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job watching a raw prefix on embedded Flink: the bundled app events as three files (beside a hidden
 * and a marker file, which it skips) and a later file that closes their days give the zones a batch run over the same
 * files gives (every column of the
 * processed trips but their lineage, the aggregates, the rejected counts by reason); a file landing later (by rename
 * from a marker name, as a producer would write it) brings a late trip, a malformed row and a duplicate to their
 * places; the JVM killed with SIGKILL and restarted from its last retained checkpoint reads every file exactly once.
 * Every wait ends on the job's outputs; the class timeout guards a hang.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class StreamingFilesTest {
  @TempDir Path tmp;
  private StreamingJob stream;

  @AfterEach
  void stop() throws Exception {
    if (stream != null) {
      stream.close();
    }
  }

  private StreamingJob start(Path raw, Path output, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "--streaming=true", "--input=" + raw, "--inputFormat=app", "--pollInterval=1s", "--paneInterval=2s",
        "--checkpointInterval=2s", "--commitInterval=2s", "--parallelism=2"));
    for (String e : extra) {
      String name = e.substring(0, e.indexOf('=') + 1);
      args.removeIf(a -> a.startsWith(name));
      args.add(e);
    }
    return StreamingJob.start(tmp, output, args);
  }

  @Test
  void filesLandingUnderAPrefixAreReadOnceInEventTime() throws Exception {
    List<String> events = StreamingJob.bundledEvents();
    Path raw = Files.createDirectories(tmp.resolve("raw"));
    int third = events.size() / 3;
    for (int i = 0; i < 3; i++) {
      Files.write(raw.resolve("part-" + i + ".jsonl"), events.subList(i * third, i == 2 ? events.size() : (i + 1) * third));
    }
    Files.writeString(raw.resolve("_SUCCESS"), "");
    Files.writeString(raw.resolve(".part-0.jsonl.crc"), "not a trip");
    List<String> closers = StreamingJob.closingTrips(1);
    Path batchInput = Files.createDirectories(tmp.resolve("batch-input"));
    for (int i = 0; i < 3; i++) {
      Files.copy(raw.resolve("part-" + i + ".jsonl"), batchInput.resolve("part-" + i + ".jsonl"));
    }
    Files.write(batchInput.resolve("part-closing.jsonl"), closers);
    Path batch = tmp.resolve("batch");
    ForkedRun run = ForkedRun.main("flink", batch, "--input=" + batchInput, "--inputFormat=app", "--output=" + batch);
    assertEquals(0, run.exitCode, run.toString());
    String openDay = StreamOutputs.pickupDay(closers.get(0));
    List<String> days = StreamOutputs.zoneDays(batch).stream().filter(d -> !d.equals(openDay)).toList();

    Path output = tmp.resolve("stream");
    stream = start(raw, output);
    stream.awaitCount("every file read", events.size(), stream::readRows);
    String lastDay = days.get(days.size() - 1);
    stream.await("the days the events' own later trips closed", () -> StreamOutputs.zoneDays(output).equals(
        days.subList(0, days.size() - 1)));
    Thread.sleep(5_000);
    assertEquals(days.subList(0, days.size() - 1), StreamOutputs.zoneDays(output),
        "the last day, " + lastDay + ", still open: idle time closes no day");
    // A file of later trips lands: its data closes the days before it (idle time alone closes none).
    Files.write(raw.resolve("part-closing.jsonl"), closers);
    stream.await(
        "every day written",
        () -> StreamOutputs.zoneDays(output).equals(days) && StreamOutputs.userDays(output).equals(days));
    // The count and processed-trip panes are written by their own steps: wait for both before reconciling.
    stream.awaitCount("the closing file counted", events.size() + closers.size(), stream::readRows);
    stream.awaitCount("every valid trip written", run.report().at("/counts/valid").asLong(),
        () -> StreamOutputs.processedRows(output));
    stream.awaitReconciled();
    StreamOutputs.assertEqualToBatch(batch, output, openDay);
    Map<String, SortedSet<String>> commits = StreamOutputs.tableCommits(output);
    assertEquals(Set.of("stream", "files<=1"), Set.copyOf(commits.get("zone_daily")), "a closed day is one file");
    assertEquals(Set.of("stream", "files<=1"), Set.copyOf(commits.get("user_daily")), commits.toString());
    assertTrue(commits.get("processed_trips").contains("stream"), commits.toString());
    assertTrue(Set.of("stream", "compact").containsAll(commits.get("rejected")), commits.toString());
    long batchDuplicates = run.report().at("/counts/duplicates").asLong();

    // A file lands (written under a marker name, then renamed): a late trip, a malformed row, a recent trip twice.
    String late = events.get(events.size() / 2).replaceFirst("\"trip_id\":\"[^\"]+\"", "\"trip_id\":\"late-0001\"");
    String recent = recentTrip("recent-0001");
    Path incoming = raw.resolve("_incoming.jsonl");
    Files.write(incoming, List.of(late, "{broken", recent, recent));
    Files.move(incoming, raw.resolve("part-3.jsonl"), StandardCopyOption.ATOMIC_MOVE);
    long total = events.size() + closers.size() + 4L;
    stream.awaitCount("the new file read", total, stream::readRows);
    stream.awaitCount("the late trip counted", 1, () -> StreamOutputs.counts(output).getOrDefault("rejected.late_trip", 0L));
    stream.awaitReconciled();
    assertEquals(List.of(late), rejected(output, "late_trip"), "the late trip, with its raw line");
    List<String> unparseable = new ArrayList<>(Outputs.rejectedRaw(batch, "unparseable"));
    unparseable.add("{broken");
    unparseable.sort(null);
    assertEquals(unparseable, rejected(output, "unparseable"), "the batch's unparseable rows and the broken line");
    assertEquals(1, StreamOutputs.counts(output).get("duplicates.copies_removed") - batchDuplicates, "the copy");
    assertEquals(List.of("recent-0001|200"), StreamOutputs.processedTrips(output, "recent-"), "the recent trip once");

    // SIGKILL, a new file while the job is down, and a restart from the checkpoint Flink retained (the latest
    // completed one: an older one would write again the panes of the checkpoints after it).
    stream.await("a checkpoint", () -> latestCheckpoint(output) != null);
    stream.kill();
    Path checkpoint = latestCheckpoint(output);
    Files.write(raw.resolve("part-4.jsonl"), List.of(recentTrip("recent-0002"), recentTrip("recent-0003")));
    stream = start(raw, output, "--savepointPath=" + checkpoint.toUri());
    stream.awaitCount("the last file read once, no file read twice after the restore", total + 2, stream::readRows);
    stream.awaitCount("the recent trips written", 3, () -> StreamOutputs.processedTrips(output, "recent-").size());
    stream.awaitReconciled();
    assertEquals(StreamOutputs.processedRows(output), StreamOutputs.distinctProcessedTrips(output), "no trip twice");
  }

  /**
   * The issue-27 case, as a new user met it: a job watches an empty prefix for a while, then one real month lands
   * (NYC TLC green 2023-12, 64,215 rows, with trips of three November days among them). Idle time moved no watermark, so
   * no trip is late: every valid trip is processed at once and every day the month's own data closed equals a batch
   * run over the file; the last day closes when a file of later trips lands.
   */
  @Test
  void aRealMonthLandingInAnIdleJobIsProcessedLikeABatchRun() throws Exception {
    Path raw = Files.createDirectories(tmp.resolve("landing"));
    Path closing = tmp.resolve("closing.parquet");
    Outputs.execute("COPY (SELECT * REPLACE (TIMESTAMP '2024-01-02 10:00:00' AS lpep_pickup_datetime, "
        + "TIMESTAMP '2024-01-02 10:12:00' AS lpep_dropoff_datetime) FROM read_parquet('" + RealFiles.GREEN_PARQUET
        + "') WHERE trip_distance > 1 AND fare_amount > 5 AND PULocationID BETWEEN 1 AND 263 LIMIT 1) TO '" + closing
        + "' (FORMAT parquet)");
    Path batch = tmp.resolve("month-batch");
    ForkedRun run =
        ForkedRun.main("flink", batch, "--input=" + RealFiles.GREEN_PARQUET + "," + closing, "--output=" + batch);
    assertEquals(0, run.exitCode, run.toString());
    JsonNode report = run.report();

    Path output = tmp.resolve("month-stream");
    stream = start(raw, output, "--inputFormat=auto");
    stream.await("an idle checkpoint", () -> latestCheckpoint(output) != null);
    Path incoming = raw.resolve("_green_tripdata_2023-12.parquet");
    Files.copy(RealFiles.GREEN_PARQUET, incoming);
    Files.move(incoming, raw.resolve("green_tripdata_2023-12.parquet"), StandardCopyOption.ATOMIC_MOVE);
    long monthRows = report.at("/counts/read").asLong() - 1;
    stream.awaitCount("the month read", monthRows, stream::readRows);
    stream.awaitCount("every valid trip of the month processed", report.at("/counts/valid").asLong() - 1,
        () -> StreamOutputs.processedRows(output));
    stream.awaitReconciled();
    assertEquals(0L, StreamOutputs.counts(output).getOrDefault("rejected.late_trip", 0L), "no trip of the month late");
    List<String> batchDays = StreamOutputs.zoneDays(batch);
    List<String> closedByTheMonth = batchDays.subList(0, batchDays.indexOf("2023-12-31"));
    stream.await("the days the month closed", () -> StreamOutputs.zoneDays(output).equals(closedByTheMonth));

    Files.copy(closing, raw.resolve("green_tripdata_2024-01-02.parquet"));
    List<String> closedByLaterData = batchDays.subList(0, batchDays.indexOf("2024-01-02"));
    stream.await("December 31 closed by a later trip", () -> StreamOutputs.zoneDays(output).equals(closedByLaterData));
    stream.awaitCount("the later trip processed", report.at("/counts/valid").asLong(),
        () -> StreamOutputs.processedRows(output));
    stream.awaitReconciled();
    StreamOutputs.assertEqualToBatch(batch, output, "2024-01-02");
    assertEquals(report.at("/counts/read").asLong(), StreamOutputs.counts(output).get("read_rows"));
  }

  private static List<String> rejected(Path output, String reason) throws Exception {
    return Outputs.rejectedRaw(output, reason);
  }

  /** The newest completed checkpoint folder ({@code chk-N} with its metadata) under the job's checkpoint folder. */
  private static Path latestCheckpoint(Path output) throws Exception {
    Path root = output.resolve("_streaming/checkpoints");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> files = Files.walk(root, 2)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4))))
          .orElse(null);
    }
  }

  private static String recentTrip(String id) {
    return StreamingJob.recentTrip(id, "u900000001", 79, 107, 1400, 200, 12);
  }
}
