package dev.tripbeam.tests;

import dev.tripbeam.tools.generate.GenerateTrips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * App-format trip files made by tripbeam's generator from the real yellow trips (its templates), for tests that need
 * users: one call per data set, and what the tests read back from the lines (pickup dates), independently of tripbeam.
 */
final class Generated {
  private static final Pattern PICKUP = Pattern.compile("\"pickup_ts\":\"([^\"]+)\"");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private Generated() {}

  /**
   * Generates into {@code dir} in {@code format} ({@code parquet} or {@code jsonl}) with the generator's {@code
   * settings} ({@code --users}, {@code --trips}, {@code --seed}, …; one file unless {@code --files} is given; templates:
   * the bundled yellow CSV unless given) and returns the files, sorted.
   */
  static List<Path> appTripFiles(Path dir, String format, String... settings) throws Exception {
    generate(dir, format, settings);
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith("." + format)).sorted().toList();
    }
  }

  /** Generates as {@link #appTripFiles} does; returns the generator's counts (rows, invalid rows, copies). */
  static long[] generate(Path dir, String format, String... settings) throws Exception {
    List<String> args = new ArrayList<>(List.of(settings));
    if (args.stream().noneMatch(a -> a.startsWith("--files="))) {
      args.add("--files=1");
    }
    if (args.stream().noneMatch(a -> a.startsWith("--templates="))) {
      args.add("--templates=" + RealFiles.YELLOW_CSV);
    }
    args.add("--format=" + format);
    args.add("--output=" + dir);
    return GenerateTrips.generate(GenerateTrips.Settings.parse(args.toArray(new String[0])));
  }

  /** {@link #appTripFiles} for one file: the file. */
  static Path appTrips(Path dir, String format, String... settings) throws Exception {
    List<Path> files = appTripFiles(dir, format, settings);
    if (files.size() != 1) {
      throw new IllegalStateException("one file expected in " + dir + ": " + files);
    }
    return files.get(0);
  }

  /** The New York date of an app event's pickup instant; null when the line has no readable one. */
  static String nyPickupDate(String line) {
    Matcher m = PICKUP.matcher(line);
    if (!m.find()) {
      return null;
    }
    try {
      return Instant.parse(m.group(1)).atZone(NEW_YORK).toLocalDate().toString();
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  /** The New York pickup dates of the valid unique trips of JSON lines files, by the DuckDB reference. */
  static List<String> nyPickupDates(Path... jsonl) throws Exception {
    try (DuckDbReference duck = new DuckDbReference(List.of(), List.of(), List.of(jsonl), RealFiles.ZONES)) {
      return duck.pickupDates();
    }
  }
}
