package dev.tripbeam.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real NYC TLC files bundled under tests/data, and helpers to derive dirty files from them. */
final class RealData {
  static final Path DIR = Path.of(System.getProperty("tripbeam.data", "../tests/data/nyc_tlc"));
  static final Path YELLOW_CSV = DIR.resolve("yellow_tripdata_2021-01.head.csv");
  static final Path GREEN_PARQUET = DIR.resolve("green_tripdata_2023-12.parquet");
  static final Path GE_2019_01 = DIR.resolve("ge_yellow_samples/yellow_tripdata_sample_2019-01.csv.gz");

  private RealData() {}

  /** The header and the first {@code rows} data lines of the real yellow CSV. */
  static List<String> yellowHead(int rows) throws IOException {
    try (var lines = Files.lines(YELLOW_CSV)) {
      return lines.limit(rows + 1L).toList();
    }
  }
}
