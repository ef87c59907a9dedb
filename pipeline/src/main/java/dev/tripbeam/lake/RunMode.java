package dev.tripbeam.lake;

import java.util.Locale;

/** How a batch run changes the lake; its label is what reports and manifests record. */
public enum RunMode {
  /** Every zone replaced by the run's output. */
  FULL_REFRESH,
  /** Only raw files the manifest does not list; the pickup dates they touch are recomputed. */
  INCREMENTAL,
  /** Named pickup dates rebuilt from the raw files the manifest records for them. */
  REPROCESS;

  /** {@code full_refresh}, {@code incremental}, {@code reprocess}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode a report or manifest records by {@link #label()}. */
  public static RunMode ofLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }

  /** Whether the run replaces only the partitions of the dates it recomputes. */
  public boolean replacesPartitions() {
    return this != FULL_REFRESH;
  }
}
