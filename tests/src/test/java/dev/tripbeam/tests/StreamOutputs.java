package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What a streaming job wrote under its output: count panes, processed trips, days; and app events in pickup order. */
final class StreamOutputs {
  private static final Pattern PICKUP = Pattern.compile("\"pickup_ts\":\"([^\"]+)\"");

  private StreamOutputs() {}

  /** Sums of every label over the stream's count files. */
  static Map<String, Long> counts(Path output) throws IOException {
    Map<String, Long> sums = new TreeMap<>();
    Path dir = output.resolve("_streaming/counts");
    if (!Files.isDirectory(dir)) {
      return sums;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".tsv")).toList()) {
        for (String line : Files.readAllLines(f)) {
          String[] kv = line.split("\t");
          sums.merge(kv[0], Long.parseLong(kv[1]), Long::sum);
        }
      }
    }
    return sums;
  }

  static long processedRows(Path output) throws Exception {
    if (!Outputs.hasFiles(output, "processed/trips/*")) {
      return 0;
    }
    return Long.parseLong(
        Outputs.query("select count(*) from read_parquet('" + output + "/processed/trips/*/*.parquet')").get(0));
  }

  /** The processed trips whose id starts with {@code prefix}, as {@code trip_id|tip_cents}, sorted. */
  static List<String> processedTrips(Path output, String prefix) throws Exception {
    if (!Outputs.hasFiles(output, "processed/trips/*")) {
      return List.of();
    }
    return Outputs.query("select trip_id, tip_cents from read_parquet('" + output + "/processed/trips/*/*.parquet') "
        + "where starts_with(trip_id, '" + prefix + "') order by 1, 2");
  }

  static long distinctProcessedTrips(Path output) throws Exception {
    return Long.parseLong(
        Outputs.query("select count(distinct trip_id) from read_parquet('" + output + "/processed/trips/*/*.parquet')")
            .get(0));
  }

  /** The pickup dates of zone_daily rows. */
  static List<String> zoneDays(Path output) throws Exception {
    return Outputs.zoneDaily(output).stream().map(r -> r.substring(0, 10)).distinct().sorted().toList();
  }

  /** The pickup dates of user_daily rows. */
  static List<String> userDays(Path output) throws Exception {
    return Outputs.userDaily(output).stream().map(r -> r.split("\\|")[1]).distinct().sorted().toList();
  }

  /**
   * Null when read = processed + copies removed + rejected over every pane and the rejected zone holds every rejected
   * count; else what differs.
   */
  static String reconciliationError(Path output) throws Exception {
    Map<String, Long> c = counts(output);
    long rejected = c.entrySet().stream().filter(e -> e.getKey().startsWith("rejected.")).mapToLong(Map.Entry::getValue).sum();
    long rejectedRows =
        Long.parseLong(Outputs.query("select count(*) from read_parquet('" + output + "/rejected/*.parquet')").get(0));
    long sum = processedRows(output) + c.getOrDefault("duplicates.copies_removed", 0L) + rejected;
    return c.getOrDefault("read_rows", -1L) == sum && rejected == rejectedRows
        ? null
        : "read " + c.get("read_rows") + " vs processed + copies removed + rejected " + sum + "; rejected counts "
            + rejected + " vs rows " + rejectedRows + "; " + c;
  }

  /**
   * A stream's zones equal a batch run's over the same events: zone_daily, user_daily and anomalies row for row, the
   * processed trips in every column but their lineage ({@code source_file}, {@code source_row}: a file's row there, a
   * topic's offset here), and the rejected records counted by reason.
   */
  static void assertEqualToBatch(Path batch, Path stream) throws Exception {
    assertEquals(Outputs.zoneDaily(batch), Outputs.zoneDaily(stream), "zone_daily: stream vs batch");
    assertEquals(Outputs.userDaily(batch), Outputs.userDaily(stream), "user_daily: stream vs batch");
    assertEquals(Outputs.anomalies(batch), Outputs.anomalies(stream), "anomalies: stream vs batch");
    assertEquals(Outputs.processedContent(batch), Outputs.processedContent(stream), "processed trips: stream vs batch");
    assertEquals(Outputs.rejectedByReason(batch), Outputs.rejectedByReason(stream), "rejected by reason");
  }

  static String pickupText(String line) {
    Matcher m = PICKUP.matcher(line);
    return m.find() ? m.group(1) : "";
  }

  /** Events sorted by pickup (as an app emits them), lines without a pickup first. */
  static List<String> inPickupOrder(List<String> lines) {
    List<String> sorted = new ArrayList<>(lines);
    sorted.removeIf(String::isBlank);
    sorted.sort(Comparator.comparing(StreamOutputs::pickupText));
    return sorted;
  }
}
