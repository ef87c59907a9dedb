package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job watching a raw prefix on embedded Flink: the bundled app events as three files (beside a hidden
 * and a marker file, which it skips) give the zones a batch run over the same files gives; a file landing later
 * (by rename from a marker name, as a producer would write it) brings a late trip, a malformed row and a duplicate to
 * their places; the JVM killed with SIGKILL and restarted from its last retained checkpoint reads every file exactly
 * once. Every wait ends on the job's outputs; the class timeout guards a hang.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class StreamingFilesTest {
  @TempDir Path tmp;
  private Process stream;
  private final LocalDateTime pickup = LocalDateTime.now(ZoneOffset.UTC).minusHours(1).withNano(0);

  @AfterEach
  void stop() throws Exception {
    if (stream != null && stream.isAlive()) {
      stream.destroyForcibly().waitFor();
    }
  }

  private Process start(Path raw, Path output, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "--streaming=true", "--input=" + raw, "--inputFormat=app", "--output=" + output, "--pollInterval=1s",
        "--paneInterval=2s", "--checkpointInterval=2s", "--parallelism=2"));
    args.addAll(List.of(extra));
    Path log = tmp.resolve("stream-" + System.nanoTime());
    return ForkedRun.start("flink", List.of(), args.toArray(new String[0]))
        .redirectOutput(log.resolveSibling(log.getFileName() + ".out").toFile())
        .redirectError(log.resolveSibling(log.getFileName() + ".err").toFile())
        .start();
  }

  private void await(String what, Check done) throws Exception {
    while (stream.isAlive() && !done.holds()) {
      Thread.sleep(500);
    }
    assertTrue(stream.isAlive(), "the stream ended while waiting for " + what);
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  @Test
  void filesLandingUnderAPrefixAreReadOnceInEventTime() throws Exception {
    List<String> events;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(RealFiles.APP_JSONL))) {
      events = StreamOutputs.inPickupOrder(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
    }
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
    await(
        "every file read and every day written",
        () -> StreamOutputs.counts(output).getOrDefault("read_rows", 0L) == events.size()
            && StreamOutputs.zoneDays(output).equals(days)
            && StreamOutputs.userDays(output).equals(days)
            && StreamOutputs.reconciliationError(output) == null);
    assertEquals(Outputs.zoneDaily(batch), Outputs.zoneDaily(output), "zone_daily: stream vs batch");
    assertEquals(Outputs.userDaily(batch), Outputs.userDaily(output), "user_daily: stream vs batch");
    assertEquals(run.report().at("/counts/valid").asLong(), StreamOutputs.processedRows(output));

    // A file lands (written under a marker name, then renamed): a late trip, a malformed row, a recent trip twice.
    String late = events.get(events.size() / 2).replaceFirst("\"trip_id\":\"[^\"]+\"", "\"trip_id\":\"late-0001\"");
    String recent = recentTrip("recent-0001");
    Path incoming = raw.resolve("_incoming.jsonl");
    Files.write(incoming, List.of(late, "{broken", recent, recent));
    Files.move(incoming, raw.resolve("part-3.jsonl"), StandardCopyOption.ATOMIC_MOVE);
    long total = events.size() + 4L;
    await(
        "the new file read and reconciled",
        () -> StreamOutputs.counts(output).getOrDefault("read_rows", 0L) == total
            && StreamOutputs.reconciliationError(output) == null
            && StreamOutputs.counts(output).getOrDefault("rejected.late_trip", 0L) == 1);
    assertEquals(
        List.of(late),
        Outputs.query("select raw from read_parquet('" + output + "/rejected/*.parquet') where reason = 'late_trip'"));
    assertEquals(1, StreamOutputs.counts(output).get("duplicates.copies_removed") - run.report().at("/counts/duplicates").asLong());

    // SIGKILL, a new file while the job is down, and a restart from the checkpoint Flink retained (the latest
    // completed one: an older one would write again the panes of the checkpoints after it).
    await("a checkpoint", () -> latestCheckpoint(output) != null);
    stream.destroyForcibly().waitFor();
    Path checkpoint = latestCheckpoint(output);
    Files.write(raw.resolve("part-4.jsonl"), List.of(recentTrip("recent-0002"), recentTrip("recent-0003")));
    stream = start(raw, output, "--savepointPath=" + checkpoint.toUri());
    await(
        "the last file read once",
        () -> StreamOutputs.counts(output).getOrDefault("read_rows", 0L) >= total + 2
            && StreamOutputs.reconciliationError(output) == null
            && StreamOutputs.processedRows(output, today(recent)) == 3);
    assertEquals(total + 2, StreamOutputs.counts(output).get("read_rows"), "no file read twice after the restore");
    assertEquals(StreamOutputs.processedRows(output), StreamOutputs.distinctProcessedTrips(output), "no trip twice");
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

  /** An app event picked up an hour before the test began (its day is open), 12 minutes long. */
  private String recentTrip(String id) {
    DateTimeFormatter f = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
    return "{\"trip_id\":\"" + id + "\",\"user_id\":\"u900000001\",\"pickup_ts\":\"" + f.format(pickup) + "Z\","
        + "\"dropoff_ts\":\"" + f.format(pickup.plusMinutes(12)) + "Z\",\"pu_zone_id\":79,\"do_zone_id\":107,"
        + "\"passenger_count\":1,\"distance_miles\":2.0,\"fare_cents\":1400,\"tip_cents\":200,\"tolls_cents\":0,"
        + "\"total_cents\":1750,\"payment_type\":1}";
  }

  private static String today(String line) {
    return java.time.Instant.parse(StreamOutputs.pickupText(line))
        .atZone(java.time.ZoneId.of("America/New_York"))
        .toLocalDate()
        .toString();
  }
}
