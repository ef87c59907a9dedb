package dev.tripbeam.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The bookkeeping of the lake under {@code --output}: the manifest of processed raw files and the publication of a
 * run's staged outputs into the zones.
 *
 * <p>A run's pipeline writes only into its staging area {@code _temporary/<runId>/out/}, which no zone reader globs.
 * Publishing then follows a plan written first to {@code _manifests/pending/<runId>.json}: delete the zone files
 * the run replaces, copy the staged files into the zones (named {@code <runId>-<file>}), write the run report, and
 * commit by writing {@code _manifests/runs/<runId>.json} (the raw files the run processed, keyed by path, size and
 * ETag or CRC32C) and removing the pending plan. Every step can be repeated, so a plan left pending by a run that
 * died while publishing is completed by the next run before it does anything else; a run that died before its
 * plan was written left nothing in the zones, and its staging area is removed.
 */
final class Lake {
  static final String FULL_REFRESH = "full_refresh";
  static final String INCREMENTAL = "incremental";
  static final String REPROCESS = "reprocess";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final OutputLayout layout;

  Lake(OutputLayout layout) {
    this.layout = layout;
  }

  /**
   * A raw input file as the manifest keys it (path, size, checksum: a replaced file is new), with the file-level
   * error of the run that read it ({@code unreadable_file}, {@code truncated_file}; empty when it was read whole) and
   * the New York pickup dates of its valid trips.
   */
  record RawFile(String path, long size, String checksum, String error, List<String> dates) {
    RawFile(String path, long size, String checksum) {
      this(path, size, checksum, "", List.of());
    }

    String key() {
      return path + "\n" + size + "\n" + checksum;
    }

    RawFile withError(String e) {
      return new RawFile(path, size, checksum, e == null ? "" : e, dates);
    }

    RawFile withDates(List<String> d) {
      return new RawFile(path, size, checksum, error, List.copyOf(d));
    }

    static RawFile of(MatchResult.Metadata file) throws IOException {
      return new RawFile(file.resourceId().toString(), file.sizeBytes(), LakeFiles.checksum(file));
    }
  }

  /** What one run publishes. */
  record Plan(
      String runId,
      String mode,
      List<RawFile> rawFiles,
      List<String> deletes,
      Map<String, String> copies,
      String reportPath,
      String report) {}

  /** Keys of every raw file a committed run processed. */
  Set<String> committedRawFiles() throws IOException {
    Set<String> keys = new HashSet<>();
    for (String run : LakeFiles.paths(layout.manifests() + "/runs/*.json")) {
      for (JsonNode f : JSON.readTree(LakeFiles.read(run)).path("raw_files")) {
        keys.add(new RawFile(f.path("path").asText(), f.path("size").asLong(), f.path("checksum").asText()).key());
      }
    }
    return keys;
  }

  /**
   * The raw files committed runs recorded as holding any of {@code dates}, each with every date recorded for it.
   *
   * @throws IOException also when a manifest does not record the dates of its raw files (written by a tripbeam
   *     before it did)
   */
  SortedMap<String, SortedSet<String>> rawFilesHolding(Set<String> dates) throws IOException {
    SortedMap<String, SortedSet<String>> holding = new TreeMap<>();
    for (String run : LakeFiles.paths(layout.manifests() + "/runs/*.json")) {
      for (JsonNode f : JSON.readTree(LakeFiles.read(run)).path("raw_files")) {
        if (!f.has("pickup_dates")) {
          throw new IOException(
              "the manifest " + run + " does not record which pickup dates its raw files hold (an older tripbeam "
                  + "wrote it); run a full refresh once");
        }
        SortedSet<String> held = new TreeSet<>();
        f.path("pickup_dates").forEach(d -> held.add(d.asText()));
        if (held.stream().anyMatch(dates::contains)) {
          holding.computeIfAbsent(f.path("path").asText(), p -> new TreeSet<>()).addAll(held);
        }
      }
    }
    return holding;
  }

  /** Whether any committed run is recorded (an incremental run then reads the processed zone back). */
  boolean hasCommittedRuns() throws IOException {
    return !LakeFiles.paths(layout.manifests() + "/runs/*.json").isEmpty();
  }

  /**
   * Completes the publication of runs that died while publishing, and removes the staging areas of runs that died
   * before it. Assumes one writer at a time per lake.
   *
   * @return the ids of the runs completed
   */
  List<String> recover() throws IOException {
    List<String> completed = new ArrayList<>();
    Set<String> pending = new HashSet<>();
    for (String path : LakeFiles.paths(layout.manifests() + "/pending/*.json")) {
      Plan plan = parse(LakeFiles.read(path));
      apply(plan);
      commit(plan);
      completed.add(plan.runId());
      pending.add(plan.runId());
    }
    String staging = layout.stagingRoot();
    Set<String> stale = new HashSet<>();
    for (String file : LakeFiles.paths(staging + "/**")) {
      String rest = file.substring(file.indexOf("/_temporary/") + "/_temporary/".length());
      int slash = rest.indexOf('/');
      stale.add(slash < 0 ? rest : rest.substring(0, slash));
    }
    stale.removeAll(pending);
    for (String runId : stale) {
      LakeFiles.deleteTree(layout.staging(runId));
    }
    return completed;
  }

  /**
   * The plan of a finished pipeline: every staged file goes into its zone. A full refresh replaces all zone files; an
   * incremental or reprocess run replaces, in every partitioned zone, the partitions of the pickup dates it
   * recomputed ({@code touchedDates}), leaves the others as they are, and adds its rejected records.
   */
  Plan plan(String runId, String mode, List<RawFile> rawFiles, List<String> touchedDates, String report)
      throws IOException {
    boolean incremental = !mode.equals(FULL_REFRESH);
    OutputLayout staged = layout.staged(runId);
    Map<String, String> copies = new LinkedHashMap<>();
    for (String file : LakeFiles.paths(staged.root() + "/**")) {
      String relative = file.substring(staged.root().length() + 1);
      int slash = relative.lastIndexOf('/');
      String dir = slash < 0 ? "" : relative.substring(0, slash + 1);
      copies.put(file, layout.root() + "/" + dir + runId + "-" + relative.substring(slash + 1));
    }
    List<String> deletes = new ArrayList<>();
    for (Map.Entry<String, String> zone : layout.zones().entrySet()) {
      if (!incremental) {
        deletes.addAll(LakeFiles.paths(zone.getValue() + "/**"));
      } else if (!zone.getKey().equals(OutputLayout.REJECTED)) {
        for (String date : touchedDates) {
          deletes.addAll(LakeFiles.paths(zone.getValue() + "/" + OutputLayout.PARTITION_COLUMN + "=" + date + "/**"));
        }
      }
    }
    return new Plan(runId, mode, rawFiles, deletes, copies, layout.report(runId), report);
  }

  /** Publishes a plan: records it as pending, applies it and commits it. */
  void publish(Plan plan) throws IOException {
    begin(plan);
    apply(plan);
    commit(plan);
  }

  /** Records the plan as pending: from here on, the next run completes it if this one does not. */
  void begin(Plan plan) throws IOException {
    LakeFiles.write(layout.manifests() + "/pending/" + plan.runId() + ".json", toJson(plan, true));
  }

  void apply(Plan plan) throws IOException {
    LakeFiles.delete(plan.deletes());
    for (Map.Entry<String, String> copy : plan.copies().entrySet()) {
      if (LakeFiles.exists(copy.getKey())) {
        LakeFiles.copy(copy.getKey(), copy.getValue());
      } else if (!LakeFiles.exists(copy.getValue())) {
        throw new IOException("cannot publish " + copy.getValue() + ": its staged file " + copy.getKey() + " is gone");
      }
    }
    writeReport(plan.reportPath(), plan.report());
  }

  /**
   * The run report and, beside it, its page ({@link RunPage}), rendered from the report's JSON. A report that is not
   * JSON gets no page (the page is a view; the publication does not depend on it).
   */
  static void writeReport(String path, String json) throws IOException {
    LakeFiles.write(path, json);
    String page;
    try {
      page = RunPage.render(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return;
    }
    LakeFiles.write(RunPage.pathBeside(path), page);
  }

  private void commit(Plan plan) throws IOException {
    LakeFiles.write(layout.manifests() + "/runs/" + plan.runId() + ".json", toJson(plan, false));
    if (plan.mode().equals(FULL_REFRESH)) {
      List<String> older = new ArrayList<>();
      for (String run : LakeFiles.paths(layout.manifests() + "/runs/*.json")) {
        if (!run.endsWith("/" + plan.runId() + ".json")) {
          older.add(run);
        }
      }
      LakeFiles.delete(older);
    }
    LakeFiles.delete(List.of(layout.manifests() + "/pending/" + plan.runId() + ".json"));
    LakeFiles.deleteTree(layout.staging(plan.runId()));
  }

  private static String toJson(Plan plan, boolean pending) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("run_id", plan.runId());
    root.put("mode", plan.mode());
    root.put(pending ? "planned_at" : "committed_at", Instant.now().toString());
    ArrayNode raw = root.putArray("raw_files");
    for (RawFile f : plan.rawFiles()) {
      ObjectNode entry = raw.addObject().put("path", f.path()).put("size", f.size()).put("checksum", f.checksum());
      if (!f.error().isEmpty()) {
        entry.put("error", f.error());
      }
      ArrayNode dates = entry.putArray("pickup_dates");
      f.dates().forEach(dates::add);
    }
    ArrayNode outputs = root.putArray("output_files");
    plan.copies().values().forEach(outputs::add);
    if (pending) {
      ArrayNode deletes = root.putArray("deletes");
      plan.deletes().forEach(deletes::add);
      ObjectNode copies = root.putObject("copies");
      plan.copies().forEach(copies::put);
      root.put("report_path", plan.reportPath());
      root.put("report", plan.report());
    }
    return JSON.writeValueAsString(root) + "\n";
  }

  private static Plan parse(String json) throws IOException {
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
    return new Plan(
        root.path("run_id").asText(),
        root.path("mode").asText(),
        raw,
        deletes,
        copies,
        root.path("report_path").asText(),
        root.path("report").asText());
  }
}
