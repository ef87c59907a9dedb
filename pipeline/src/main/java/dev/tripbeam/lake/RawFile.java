package dev.tripbeam.lake;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * A raw input file as the manifest keys it (path, size, checksum: a replaced file is new), with the file-level error
 * of the run that read it ({@code unreadable_file}, {@code truncated_file}; empty when it was read whole) and the New
 * York pickup dates of its valid trips.
 */
public record RawFile(String path, long size, String checksum, String error, List<String> dates) {
  public RawFile(String path, long size, String checksum) {
    this(path, size, checksum, "", List.of());
  }

  /** What the manifest compares: a file with the same key was processed. */
  public String key() {
    return path + "\n" + size + "\n" + checksum;
  }

  public RawFile withError(String e) {
    return new RawFile(path, size, checksum, e == null ? "" : e, dates);
  }

  public RawFile withDates(List<String> d) {
    return new RawFile(path, size, checksum, error, List.copyOf(d));
  }

  /** An entry of {@code raw_files} as a publication plan (or a manifest of the folder format) records it. */
  static RawFile fromJson(JsonNode f) {
    List<String> dates = new ArrayList<>();
    f.path("pickup_dates").forEach(d -> dates.add(d.asText()));
    return new RawFile(
        f.path("path").asText(), f.path("size").asLong(), f.path("checksum").asText(), f.path("error").asText(""),
        dates);
  }

  /** A listed file, with the file system's checksum or a CRC32C of its content. */
  public static RawFile of(MatchResult.Metadata file) throws IOException {
    return new RawFile(file.resourceId().toString(), file.sizeBytes(), LakeFiles.checksum(file));
  }
}
