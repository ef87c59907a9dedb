package dev.tripbeam.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real data bundled in tests/data (see tests/data/README.md for provenance). */
final class RealFiles {
  static final Path DIR =
      Path.of(System.getProperty("tripbeam.repoRoot", "..")).resolve("tests/data/nyc_tlc").toAbsolutePath().normalize();
  static final Path YELLOW_CSV = DIR.resolve("yellow_tripdata_2021-01.head.csv");
  static final Path GREEN_PARQUET = DIR.resolve("green_tripdata_2023-12.parquet");
  static final Path ZONES = DIR.resolve("taxi_zone_lookup.csv");
  static final List<Path> CSV =
      List.of(
          YELLOW_CSV,
          DIR.resolve("ge_yellow_samples/yellow_tripdata_sample_2019-01.csv.gz"),
          DIR.resolve("ge_yellow_samples/yellow_tripdata_sample_2020-04.csv.gz"));

  /** The bundled app-format sample (JSON lines, gzip), generated from the yellow file; see tests/data/README.md. */
  static final Path APP_JSONL =
      DIR.resolveSibling("app").resolve("app_trips_2024-03-04.jsonl.gz");

  private RealFiles() {}

  static List<String> yellowLines() throws IOException {
    return Files.readAllLines(YELLOW_CSV);
  }

  /**
   * A small dirty slice of the real yellow file in {@code dir}: its first 120 rows, every row of its first 3,000 with
   * a negative amount, two copies of one trip (the second with another tip), and the truncated last line.
   */
  static Path yellowSlice(Path dir) throws IOException {
    List<String> lines = yellowLines();
    List<String> picked = new java.util.ArrayList<>(lines.subList(0, 121));
    for (String line : lines.subList(121, 3000)) {
      if (line.contains(",-")) {
        picked.add(line);
      }
    }
    String copy = lines.get(5);
    picked.add(copy);
    String[] f = copy.split(",", -1);
    f[13] = "4.25";
    picked.add(String.join(",", f));
    picked.add(lines.get(lines.size() - 1));
    return Files.write(dir.resolve("yellow_tripdata_2021-01.slice.csv"), picked);
  }
}
