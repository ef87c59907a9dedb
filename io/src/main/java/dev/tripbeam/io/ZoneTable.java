package dev.tripbeam.io;

import dev.tripbeam.model.Zone;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Loads the NYC taxi zone table ({@code LocationID,Borough,Zone,service_zone}, quoted, CRLF or LF) from a path on
 * any Beam file system, or the copy bundled with tripbeam when no path is given. It is small (265 rows) and is
 * loaded by the driver, then broadcast to the workers as a side input.
 */
public final class ZoneTable {
  /** Where the bundled copy lives on the classpath. */
  public static final String BUNDLED = "/dev/tripbeam/io/taxi_zone_lookup.csv";

  private ZoneTable() {}

  public static List<Zone> load(@Nullable String path) throws IOException {
    if (path == null || path.isEmpty()) {
      try (InputStream in = ZoneTable.class.getResourceAsStream(BUNDLED)) {
        if (in == null) {
          throw new IOException("bundled zone table " + BUNDLED + " is missing from the classpath");
        }
        return parse(in, BUNDLED);
      }
    }
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()))) {
      return parse(in, path);
    }
  }

  static List<Zone> parse(InputStream in, String name) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String header = reader.readLine();
    List<String> expected = List.of("locationid", "borough", "zone", "service_zone");
    if (header == null
        || !Arrays.stream(CsvLines.split(CsvLines.chomp(header.replace("\uFEFF", ""))))
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .toList()
            .equals(expected)) {
      throw new IOException("zone table " + name + " must have the header LocationID,Borough,Zone,service_zone");
    }
    List<Zone> zones = new ArrayList<>();
    String line;
    int row = 0;
    while ((line = reader.readLine()) != null) {
      row++;
      line = CsvLines.chomp(line);
      if (line.isEmpty()) {
        continue;
      }
      String[] f = CsvLines.split(line);
      try {
        zones.add(Zone.of(Integer.parseInt(f[0].trim()), f[1], f[2], f[3]));
      } catch (RuntimeException e) {
        throw new IOException("zone table " + name + " row " + row + " is malformed: " + line, e);
      }
    }
    if (zones.isEmpty()) {
      throw new IOException("zone table " + name + " has no rows");
    }
    return zones;
  }
}
