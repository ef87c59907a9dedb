package dev.tripbeam.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The real NYC TLC files bundled under tests/data, and helpers to derive dirty files from them. */
final class RealData {
  static final Path DIR = Path.of(System.getProperty("tripbeam.data", "../tests/data/nyc_tlc"));
  static final Path YELLOW_CSV = DIR.resolve("yellow_tripdata_2021-01.head.csv");
  static final Path GREEN_PARQUET = DIR.resolve("green_tripdata_2023-12.parquet");
  static final Path GE_2019_01 = DIR.resolve("ge_yellow_samples/yellow_tripdata_sample_2019-01.csv.gz");

  private RealData() {}

  static TripFileReader.Opener opener(Path file) {
    return new TripFileReader.Opener() {
      @Override
      public InputStream open() throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
      }

      @Override
      public SeekableByteChannel openSeekable() throws IOException {
        return Files.newByteChannel(file);
      }
    };
  }

  /** The header and the first {@code rows} data lines of the real yellow CSV. */
  static List<String> yellowHead(int rows) throws IOException {
    try (var lines = Files.lines(YELLOW_CSV)) {
      return lines.limit(rows + 1L).toList();
    }
  }
}
