package dev.tripbeam.report;

import dev.tripbeam.lake.LakeFiles;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/** The run's counts file ({@code label<TAB>count} lines from every writer task), summed per label. */
public final class RunCounts {
  private RunCounts() {}

  /** The counts of the file at {@code path}. */
  public static Map<String, Long> read(String path) throws IOException {
    Map<String, Long> counts = new HashMap<>();
    for (String line : LakeFiles.read(path).split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        counts.merge(line.substring(0, tab), Long.parseLong(line.substring(tab + 1).trim()), Long::sum);
      }
    }
    return counts;
  }

  /** The values of the count labels {@code <prefix><value>:<URL-encoded path>}, per path. */
  public static Map<String, SortedSet<String>> perFile(Map<String, Long> counts, String prefix) {
    Map<String, SortedSet<String>> values = new HashMap<>();
    for (String label : counts.keySet()) {
      if (label.startsWith(prefix)) {
        String rest = label.substring(prefix.length());
        int colon = rest.indexOf(':');
        values
            .computeIfAbsent(URLDecoder.decode(rest.substring(colon + 1), StandardCharsets.UTF_8), p -> new TreeSet<>())
            .add(rest.substring(0, colon));
      }
    }
    return values;
  }
}
