package dev.tripbeam.lake;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where things are under {@code --output}: the {@link LakeZone}s, and the lake's own folders ({@code _pending}, {@code _catalog}, {@code _ledger},
 * {@code _reports}, the staging area {@code _temporary}, the streaming job's {@code _streaming}).
 */
public final class LakeLayout {
  private final String root;

  public LakeLayout(String output) {
    this.root = output.endsWith("/") ? output.substring(0, output.length() - 1) : output;
  }

  public String root() {
    return root;
  }

  /** The zone's folder. */
  public String zone(LakeZone zone) {
    return root + "/" + zone.location();
  }

  /** The folder of one pickup date of a partitioned zone. */
  public String partition(LakeZone zone, String date) {
    return zone(zone) + "/" + LakeZone.partition(date);
  }

  public String report(String runId) {
    return root + "/_reports/run-" + runId + ".json";
  }

  /** The run's counts, written by the pipeline into its staging area (read into the report). */
  public String counts(String runId) {
    return staging(runId) + "/run-counts.tsv";
  }

  /** Where a run's publication plan waits until all its table commits are done. */
  public String pending() {
    return root + "/_pending";
  }

  /** The default (SQLite) catalog of a lake on a local disk. */
  public String catalogFolder() {
    return root + "/_catalog";
  }

  /** The folder of the raw-files ledger table. */
  public String ledger() {
    return root + "/_ledger/raw_files";
  }

  public String stagingRoot() {
    return root + "/_temporary";
  }

  /** Where a run stages its files before they are published into the zones. */
  public String staging(String runId) {
    return stagingRoot() + "/" + runId;
  }

  /** The writers' temporary files of a run (batch) under its staging area. */
  public String writerTemp(String runId, LakeZone zone) {
    return staging(runId) + "/tmp/" + zone.zoneName();
  }

  /** The same zones inside the run's staging area: the pipeline writes there, publishing copies into the zones. */
  public LakeLayout staged(String runId) {
    return new LakeLayout(staging(runId) + "/out");
  }

  /** The streaming job's own folder: its pane counts, temporary files and (by default) checkpoints. */
  public String streaming() {
    return root + "/_streaming";
  }

  /** The streaming job's default checkpoint folder. */
  public String checkpoints() {
    return streaming() + "/checkpoints";
  }

  /** The curated zones' folders by zone name, in report order. */
  public Map<String, String> zones() {
    Map<String, String> zones = new LinkedHashMap<>();
    for (LakeZone zone : LakeZone.values()) {
      zones.put(zone.zoneName(), zone(zone));
    }
    return zones;
  }
}
