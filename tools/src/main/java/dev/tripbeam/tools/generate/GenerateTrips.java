package dev.tripbeam.tools.generate;

import dev.tripbeam.io.ZoneTable;
import dev.tripbeam.model.Zone;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a deterministic app-format trip data set: the same arguments and seed give the same bytes.
 *
 * <p>Valid trips copy a real template trip with small jitter; {@code --anomalyRate} of them get a fare several times
 * the template's (as a meter error would), which the anomaly detection should flag.
 *
 * <p>Inputs: real TLC files as templates (default: the bundled sample, from the {@code tripbeam.sampleInput}
 * property the Maven main-job configuration sets). Output: {@code --output}/trips-NNNNN.parquet (or .jsonl), users in
 * contiguous ranges per file. Options: {@code --users --trips --days --start --seed --files --invalidRate
 * --duplicateRate --anomalyRate --format=parquet|jsonl --templates}. Streams: memory stays flat whatever the size.
 */
public final class GenerateTrips {
  private GenerateTrips() {}

  public static void main(String[] args) {
    try {
      GeneratorSettings settings = GeneratorSettings.parse(args);
      long start = System.nanoTime();
      long[] written = generate(settings);
      System.out.printf(
          Locale.ROOT,
          "generated %,d rows (%,d trips, %,d invalid, %,d duplicate copies) for %,d users in %d file(s) under %s"
              + " in %.1f s%n",
          written[0], settings.trips(), written[1], written[2], settings.users(), settings.files(),
          settings.output(), (System.nanoTime() - start) / 1e9);
    } catch (IllegalArgumentException e) {
      System.err.println("generate: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("generate: failed: " + e);
      System.exit(1);
    }
  }

  /** Generates all files; returns {rows, invalid rows, duplicate copies}. */
  public static long[] generate(GeneratorSettings s) throws Exception {
    List<Zone> zones = ZoneTable.load(null);
    TripTemplates templates = TripTemplates.load(s.templates(), zones);
    Files.createDirectories(s.output());
    UserPlan plan = UserPlan.of(s.users(), s.trips(), s.seed(), s.files());
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(s.files(), 2));
    try {
      List<Future<long[]>> results = new ArrayList<>();
      for (int f = 0; f < s.files(); f++) {
        int file = f;
        results.add(pool.submit(() -> new FileGenerator(s, templates, plan, file).write()));
      }
      long[] total = new long[3];
      for (Future<long[]> r : results) {
        long[] x = r.get();
        for (int i = 0; i < 3; i++) {
          total[i] += x[i];
        }
      }
      return total;
    } finally {
      pool.shutdown();
    }
  }

  public static String fileName(int file, String format) {
    return GeneratorSettings.fileName(file, format);
  }

  static String describe(GeneratorSettings s) {
    return Arrays.toString(new Object[] {s.users(), s.trips(), s.days(), s.seed()});
  }
}
