package dev.tripbeam.serving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * One lake partition of a served table: a pickup date, its files, their total size, its version (a hash of the files'
 * names and sizes) and the run that wrote it.
 */
record LakePartition(ServingTable table, String date, List<String> files, long bytes, String version, String runId) {
  /**
   * The lake's partitions of a table by date. A partition's files are all written by the run that last replaced the
   * date ({@code <runId>-part-…}); its version hashes their names and sizes.
   */
  static Map<String, LakePartition> of(String lakeRoot, ServingTable table) throws IOException {
    String zone = lakeRoot.replaceAll("/+$", "") + "/" + table.zone();
    MatchResult match =
        FileSystems.match(zone + "/" + ServingTable.DATE_COLUMN + "=*/*.parquet", EmptyMatchTreatment.ALLOW);
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return Map.of();
    }
    Map<String, List<MatchResult.Metadata>> byDate = new TreeMap<>();
    String marker = "/" + ServingTable.DATE_COLUMN + "=";
    for (MatchResult.Metadata file : match.metadata()) {
      String path = file.resourceId().toString();
      int at = path.lastIndexOf(marker);
      String date = path.substring(at + marker.length(), path.indexOf('/', at + marker.length()));
      byDate.computeIfAbsent(date, d -> new ArrayList<>()).add(file);
    }
    Map<String, LakePartition> partitions = new TreeMap<>();
    for (Map.Entry<String, List<MatchResult.Metadata>> e : byDate.entrySet()) {
      List<MatchResult.Metadata> files = new ArrayList<>(e.getValue());
      files.sort(Comparator.comparing(f -> f.resourceId().getFilename()));
      StringBuilder id = new StringBuilder();
      long bytes = 0;
      for (MatchResult.Metadata f : files) {
        id.append(f.resourceId().getFilename()).append('\t').append(f.sizeBytes()).append('\n');
        bytes += f.sizeBytes();
      }
      String name = files.get(0).resourceId().getFilename();
      int part = name.lastIndexOf("-part-");
      partitions.put(
          e.getKey(),
          new LakePartition(
              table,
              e.getKey(),
              files.stream().map(f -> f.resourceId().toString()).toList(),
              bytes,
              sha256(id.toString()),
              part < 0 ? "" : name.substring(0, part)));
    }
    return partitions;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
