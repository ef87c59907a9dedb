package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.StreamOutputs;
import dev.tripbeam.fixtures.StreamingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job watching a raw prefix on embedded Flink: the bundled app events as three files (beside a hidden
 * and a marker file, which it skips) give the zones a batch run over the same files gives (every column of the
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
        "--checkpointInterval=2s", "--parallelism=2"));
    args.addAll(List.of(extra));
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
    Path batch = tmp.resolve("batch");
    ForkedRun run = ForkedRun.main("flink", batch, "--input=" + raw, "--inputFormat=app", "--output=" + batch);
    assertEquals(0, run.exitCode, run.toString());

    Path output = tmp.resolve("stream");
    stream = start(raw, output);
    List<String> days = StreamOutputs.zoneDays(batch);
    stream.awaitCount("every file read", events.size(), stream::readRows);
    stream.await(
        "every day written",
        () -> StreamOutputs.zoneDays(output).equals(days) && StreamOutputs.userDays(output).equals(days));
    stream.awaitReconciled();
    StreamOutputs.assertEqualToBatch(batch, output);
    long batchDuplicates = run.report().at("/counts/duplicates").asLong();

    // A file lands (written under a marker name, then renamed): a late trip, a malformed row, a recent trip twice.
    String late = events.get(events.size() / 2).replaceFirst("\"trip_id\":\"[^\"]+\"", "\"trip_id\":\"late-0001\"");
    String recent = recentTrip("recent-0001");
    Path incoming = raw.resolve("_incoming.jsonl");
    Files.write(incoming, List.of(late, "{broken", recent, recent));
    Files.move(incoming, raw.resolve("part-3.jsonl"), StandardCopyOption.ATOMIC_MOVE);
    long total = events.size() + 4L;
    stream.awaitCount("the new file read", total, stream::readRows);
    stream.awaitCount("the late trip counted", 1, () -> StreamOutputs.counts(output).getOrDefault("rejected.late_trip", 0L));
    stream.awaitReconciled();
    assertEquals(List.of(late), rejected(output, "late_trip"), "the late trip, with its raw line");
    List<String> unparseable = new ArrayList<>(Outputs.query("select raw from read_parquet('" + batch
        + "/rejected/*.parquet') where reason = 'unparseable' order by raw"));
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

  private static List<String> rejected(Path output, String reason) throws Exception {
    return Outputs.query(
        "select raw from read_parquet('" + output + "/rejected/*.parquet') where reason = '" + reason + "' order by raw");
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
