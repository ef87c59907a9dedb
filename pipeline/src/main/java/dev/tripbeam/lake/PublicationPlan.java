package dev.tripbeam.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run publishes: the staged files it copies into the zones' folders, the tables' snapshots it started from
 * ({@code bases}, by table name), the pickup dates it recomputed, the raw files for the ledger and its report; and its
 * JSON form, the pending plan ({@code _pending/<runId>.json}) from which a later run rolls a stopped publication
 * forward.
 */
public record PublicationPlan(
    String runId,
    RunMode mode,
    List<RawFile> rawFiles,
    List<String> dates,
    Map<String, Long> bases,
    Map<String, String> copies,
    String reportPath,
    String report) {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The files the plan adds to a zone's folder (the copies' targets under {@code zoneFolder}). */
  List<String> filesUnder(String zoneFolder) {
    List<String> files = new ArrayList<>();
    for (String target : copies.values()) {
      if (target.startsWith(zoneFolder + "/")) {
        files.add(target);
      }
    }
    return files;
  }

  String toJson() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("run_id", runId);
    root.put("mode", mode.label());
    root.put("planned_at", Instant.now().toString());
    ArrayNode raw = root.putArray("raw_files");
    for (RawFile f : rawFiles) {
      ObjectNode entry = raw.addObject().put("path", f.path()).put("size", f.size()).put("checksum", f.checksum());
      entry.put("error", f.error());
      ArrayNode held = entry.putArray("pickup_dates");
      f.dates().forEach(held::add);
    }
    ArrayNode touched = root.putArray("dates");
    dates.forEach(touched::add);
    ObjectNode base = root.putObject("bases");
    bases.forEach(base::put);
    ObjectNode copied = root.putObject("copies");
    copies.forEach(copied::put);
    root.put("report_path", reportPath);
    root.put("report", report);
    return JSON.writeValueAsString(root) + "\n";
  }

  /** A pending plan as {@link #toJson()} wrote it. */
  static PublicationPlan parse(String json) throws IOException {
    JsonNode root = JSON.readTree(json);
    List<RawFile> raw = new ArrayList<>();
    root.path("raw_files").forEach(f -> raw.add(RawFile.fromJson(f)));
    Map<String, Long> bases = new LinkedHashMap<>();
    root.path("bases").fields().forEachRemaining(e -> bases.put(e.getKey(), e.getValue().asLong()));
    Map<String, String> copies = new LinkedHashMap<>();
    root.path("copies").fields().forEachRemaining(e -> copies.put(e.getKey(), e.getValue().asText()));
    return new PublicationPlan(
        root.path("run_id").asText(),
        RunMode.ofLabel(root.path("mode").asText()),
        raw,
        strings(root.path("dates")),
        bases,
        copies,
        root.path("report_path").asText(),
        root.path("report").asText());
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
