package dev.tripbeam.bench;

import dev.tripbeam.fixtures.LocalPostgres;
import dev.tripbeam.fixtures.Outputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Watches a streaming job's outputs for the events of a {@link LiveFeed}: when each event first appears in a visible
 * processed-trip file (new Parquet files read every 50 ms), and when its user-day's {@code user_daily} row in PostgreSQL
 * first counts at least as many trips as had been sent for that user-day with it (the table read every 200 ms).
 */
final class LatencyProbe {
  private final LiveFeed feed;
  private final Path trips;
  private final LocalPostgres pg;
  private final long[] fileSeen;
  private final long[] rowSeen;
  private final Set<Path> readFiles = new HashSet<>();
  private final Map<String, Integer> cursors = new HashMap<>();
  private int filesSeen;
  private int rowsSeen;

  LatencyProbe(LiveFeed feed, Path trips, LocalPostgres pg) {
    this.feed = feed;
    this.trips = trips;
    this.pg = pg;
    this.fileSeen = new long[feed.total()];
    this.rowSeen = new long[feed.total()];
  }

  /** Polls until every event is seen in both, the job ends, or {@code graceMillis} after the feed has sent its last. */
  void watch(Process job, long graceMillis) throws Exception {
    long lastRows = 0;
    long doneSendingAt = 0;
    try (Connection c = pg.admin()) {
      while (job.isAlive() && (filesSeen < feed.total() || rowsSeen < feed.total())) {
        pollFiles();
        if (System.currentTimeMillis() - lastRows >= 200) {
          pollRows(c);
          lastRows = System.currentTimeMillis();
        }
        if (feed.sent() == feed.total() && doneSendingAt == 0) {
          doneSendingAt = System.currentTimeMillis();
        }
        if (doneSendingAt > 0 && System.currentTimeMillis() - doneSendingAt > graceMillis) {
          break;
        }
        Thread.sleep(50);
      }
    }
  }

  private void pollFiles() throws Exception {
    if (!Files.isDirectory(trips)) {
      return;
    }
    List<Path> fresh = new ArrayList<>();
    try (Stream<Path> files = Files.walk(trips)) {
      files.filter(f -> f.toString().endsWith(".parquet") && !readFiles.contains(f)).forEach(fresh::add);
    }
    long now = System.currentTimeMillis();
    for (Path f : fresh) {
      readFiles.add(f);
      for (String id : Outputs.query("select trip_id from read_parquet('" + f + "')")) {
        int i = Integer.parseInt(id.substring(4));
        if (fileSeen[i] == 0) {
          fileSeen[i] = now;
          filesSeen++;
        }
      }
    }
  }

  private void pollRows(Connection c) throws Exception {
    long now = System.currentTimeMillis();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(
            "SELECT user_id || '|' || pickup_date::text, trips FROM user_daily")) {
      while (r.next()) {
        String key = r.getString(1);
        long count = r.getLong(2);
        List<Integer> events = feed.events(key);
        int cursor = cursors.getOrDefault(key, 0);
        while (cursor < events.size() && feed.countAtSend(events.get(cursor)) <= count) {
          int i = events.get(cursor++);
          if (rowSeen[i] == 0) {
            rowSeen[i] = now;
            rowsSeen++;
          }
        }
        cursors.put(key, cursor);
      }
    } catch (java.sql.SQLException beforeTheSchema) {
      // The job migrates the schema as it starts.
    }
  }

  long[] fileLatencies() {
    return latencies(fileSeen, 0, feed.sent());
  }

  long[] rowLatencies() {
    return latencies(rowSeen, 0, feed.sent());
  }

  int missingFiles() {
    return feed.sent() - filesSeen;
  }

  int missingRows() {
    return feed.sent() - rowsSeen;
  }

  String fileDeciles() {
    return deciles(fileSeen);
  }

  String rowDeciles() {
    return deciles(rowSeen);
  }

  private String deciles(long[] seen) {
    List<Long> p50s = new ArrayList<>();
    int n = feed.sent();
    for (int d = 0; d < 10; d++) {
      p50s.add(StreamingBenchmark.pct(latencies(seen, d * n / 10, (d + 1) * n / 10), 50));
    }
    return p50s.toString();
  }

  private long[] latencies(long[] seen, int from, int to) {
    return java.util.stream.IntStream.range(from, to)
        .filter(i -> seen[i] > 0)
        .mapToLong(i -> seen[i] - feed.sentAt(i))
        .sorted()
        .toArray();
  }
}
