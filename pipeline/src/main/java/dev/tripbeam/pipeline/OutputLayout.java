package dev.tripbeam.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/** The zones under {@code --output}, and the lake's own folders ({@code _manifests}, {@code _reports}, staging). */
final class OutputLayout {
  static final String PROCESSED_TRIPS = "processed_trips";
  static final String ZONE_DAILY = "zone_daily";
  static final String USER_DAILY = "user_daily";
  static final String ANOMALIES = "anomalies";
  static final String REJECTED = "rejected";
  /** The partition column of every zone but the rejected one. */
  static final String PARTITION_COLUMN = "pickup_date";

  private final String root;

  OutputLayout(String output) {
    this.root = output.endsWith("/") ? output.substring(0, output.length() - 1) : output;
  }

  String root() {
    return root;
  }

  String processedTrips() {
    return root + "/processed/trips";
  }

  String zoneDaily() {
    return root + "/aggregated/zone_daily";
  }

  String userDaily() {
    return root + "/aggregated/user_daily";
  }

  String anomalies() {
    return root + "/aggregated/anomalies";
  }

  String rejected() {
    return root + "/rejected";
  }

  String report(String runId) {
    return root + "/_reports/run-" + runId + ".json";
  }

  /** The run's counts, written by the pipeline into its staging area (read into the report). */
  String counts(String runId) {
    return staging(runId) + "/run-counts.tsv";
  }

  String manifests() {
    return root + "/_manifests";
  }

  String stagingRoot() {
    return root + "/_temporary";
  }

  /** Where a run stages its files before they are published into the zones. */
  String staging(String runId) {
    return stagingRoot() + "/" + runId;
  }

  /** The same zones inside the run's staging area: the pipeline writes there, publishing copies into the zones. */
  OutputLayout staged(String runId) {
    return new OutputLayout(staging(runId) + "/out");
  }

  /** The curated zones by output name, in report order. */
  Map<String, String> zones() {
    Map<String, String> zones = new LinkedHashMap<>();
    zones.put(PROCESSED_TRIPS, processedTrips());
    zones.put(ZONE_DAILY, zoneDaily());
    zones.put(USER_DAILY, userDaily());
    zones.put(ANOMALIES, anomalies());
    zones.put(REJECTED, rejected());
    return zones;
  }
}
