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
 * What one run publishes: the zone files it deletes, the staged files it copies into the zones, its report; and its
 * JSON forms, the pending plan ({@code _manifests/pending/}) and the committed manifest ({@code _manifests/runs/}).
 */
public record PublicationPlan(
    String runId,
    RunMode mode,
    List<RawFile> rawFiles,
    List<String> deletes,
    Map<String, String> copies,
    String reportPath,
    String report) {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The pending plan (everything needed to finish it) or the committed manifest (what the run processed). */
  String toJson(boolean pending) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("run_id", runId);
    root.put("mode", mode.label());
    root.put(pending ? "planned_at" : "committed_at", Instant.now().toString());
    ArrayNode raw = root.putArray("raw_files");
    for (RawFile f : rawFiles) {
      ObjectNode entry = raw.addObject().put("path", f.path()).put("size", f.size()).put("checksum", f.checksum());
      if (!f.error().isEmpty()) {
        entry.put("error", f.error());
      }
      ArrayNode dates = entry.putArray("pickup_dates");
      f.dates().forEach(dates::add);
    }
    ArrayNode outputs = root.putArray("output_files");
    copies.values().forEach(outputs::add);
    if (pending) {
      ArrayNode deleted = root.putArray("deletes");
      deletes.forEach(deleted::add);
      ObjectNode copied = root.putObject("copies");
      copies.forEach(copied::put);
      root.put("report_path", reportPath);
      root.put("report", report);
    }
    return JSON.writeValueAsString(root) + "\n";
  }

  /** A pending plan as {@link #toJson(boolean)} wrote it. */
  static PublicationPlan parse(String json) throws IOException {
    JsonNode root = JSON.readTree(json);
    List<RawFile> raw = new ArrayList<>();
    for (JsonNode f : root.path("raw_files")) {
      List<String> dates = new ArrayList<>();
      f.path("pickup_dates").forEach(d -> dates.add(d.asText()));
      raw.add(
          new RawFile(
              f.path("path").asText(), f.path("size").asLong(), f.path("checksum").asText(),
              f.path("error").asText(""), dates));
    }
    List<String> deletes = new ArrayList<>();
    root.path("deletes").forEach(d -> deletes.add(d.asText()));
    Map<String, String> copies = new LinkedHashMap<>();
    root.path("copies").fields().forEachRemaining(e -> copies.put(e.getKey(), e.getValue().asText()));
    return new PublicationPlan(
        root.path("run_id").asText(),
        RunMode.ofLabel(root.path("mode").asText()),
        raw,
        deletes,
        copies,
        root.path("report_path").asText(),
        root.path("report").asText());
  }
}
