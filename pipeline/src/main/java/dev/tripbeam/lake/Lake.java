package dev.tripbeam.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
public final class Lake {
  private static final ObjectMapper JSON = PublicationPlan.JSON;

  /** Writes a run report (and whatever view of it belongs beside it) to a path. */
  @FunctionalInterface
  public interface ReportWriter {
    void write(String path, String json) throws IOException;
  }

  private final LakeLayout layout;
  private final ReportWriter reportWriter;

  public Lake(LakeLayout layout, ReportWriter reportWriter) {
    this.layout = layout;
    this.reportWriter = reportWriter;
  }

  /** Keys of every raw file a committed run processed. */
  public Set<String> committedRawFiles() throws IOException {
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
  public SortedMap<String, SortedSet<String>> rawFilesHolding(Set<String> dates) throws IOException {
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
  public boolean hasCommittedRuns() throws IOException {
    return !LakeFiles.paths(layout.manifests() + "/runs/*.json").isEmpty();
  }

  /**
   * Completes the publication of runs that died while publishing, and removes the staging areas of runs that died
   * before it. Assumes one writer at a time per lake.
   *
   * @return the ids of the runs completed
   */
  public List<String> recover() throws IOException {
    List<String> completed = new ArrayList<>();
    Set<String> pending = new HashSet<>();
    for (String path : LakeFiles.paths(layout.manifests() + "/pending/*.json")) {
      PublicationPlan plan = PublicationPlan.parse(LakeFiles.read(path));
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
  public PublicationPlan plan(String runId, RunMode mode, List<RawFile> rawFiles, List<String> touchedDates, String report)
      throws IOException {
    boolean incremental = mode.replacesPartitions();
    LakeLayout staged = layout.staged(runId);
    Map<String, String> copies = new LinkedHashMap<>();
    for (String file : LakeFiles.paths(staged.root() + "/**")) {
      String relative = file.substring(staged.root().length() + 1);
      int slash = relative.lastIndexOf('/');
      String dir = slash < 0 ? "" : relative.substring(0, slash + 1);
      copies.put(file, layout.root() + "/" + dir + runId + "-" + relative.substring(slash + 1));
    }
    List<String> deletes = new ArrayList<>();
    for (LakeZone zone : LakeZone.values()) {
      if (!incremental) {
        deletes.addAll(LakeFiles.paths(layout.zone(zone) + "/**"));
      } else if (zone.partitioned()) {
        for (String date : touchedDates) {
          deletes.addAll(LakeFiles.paths(layout.partition(zone, date) + "/**"));
        }
      }
    }
    return new PublicationPlan(runId, mode, rawFiles, deletes, copies, layout.report(runId), report);
  }

  /** Publishes a plan: records it as pending, applies it and commits it. */
  public void publish(PublicationPlan plan) throws IOException {
    begin(plan);
    apply(plan);
    commit(plan);
  }

  /** Records the plan as pending: from here on, the next run completes it if this one does not. */
  public void begin(PublicationPlan plan) throws IOException {
    LakeFiles.write(layout.manifests() + "/pending/" + plan.runId() + ".json", plan.toJson(true));
  }

  /**
   * Applies a plan: deletes what it replaces, copies the staged files into the zones (one copy call, which S3 runs in
   * parallel) and writes the report. A staged file already gone must have been published by an earlier attempt.
   */
  public void apply(PublicationPlan plan) throws IOException {
    LakeFiles.delete(plan.deletes());
    Set<String> staged = new HashSet<>(LakeFiles.paths(layout.staged(plan.runId()).root() + "/**"));
    List<String> from = new ArrayList<>();
    List<String> to = new ArrayList<>();
    for (Map.Entry<String, String> copy : plan.copies().entrySet()) {
      if (staged.contains(copy.getKey())) {
        from.add(copy.getKey());
        to.add(copy.getValue());
      } else if (!LakeFiles.exists(copy.getValue())) {
        throw new IOException("cannot publish " + copy.getValue() + ": its staged file " + copy.getKey() + " is gone");
      }
    }
    LakeFiles.copy(from, to);
    reportWriter.write(plan.reportPath(), plan.report());
  }

  private void commit(PublicationPlan plan) throws IOException {
    LakeFiles.write(layout.manifests() + "/runs/" + plan.runId() + ".json", plan.toJson(false));
    if (plan.mode() == RunMode.FULL_REFRESH) {
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
}
