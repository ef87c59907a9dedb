package dev.tripbeam.options;

import dev.tripbeam.lake.IcebergLake;
import dev.tripbeam.lake.LakeAddress;
import dev.tripbeam.lake.LakeLayout;
import dev.tripbeam.lake.RunMode;
import java.util.SortedSet;

/**
 * A checked command: what to run, on which options. Made only by {@link OptionChecks#check}, so a run never sees
 * options that were not checked, and every part of it reads the same parsed values.
 *
 * @param action a batch run, a streaming job or a serving load alone
 * @param mode how a batch run changes the lake (full refresh for the others)
 * @param reprocessDates the pickup dates of {@code --reprocess}, sorted; empty without it
 * @param options the checked options, their paths absolute and the S3 settings mapped onto Beam's
 */
public record RunRequest(Action action, RunMode mode, SortedSet<String> reprocessDates, TripPipelineOptions options) {
  /** What a command runs. */
  public enum Action {
    BATCH,
    STREAMING,
    SERVE_ONLY,
    UPGRADE_LAKE,
    CLEAN_ORPHANS,
    COMPACT_LAKE
  }

  public LakeLayout layout() {
    return new LakeLayout(options.getOutput());
  }

  /**
   * Opens the catalog of the lake's tables ({@code --catalog}, {@code --catalogNamespace}).
   *
   * @throws IllegalArgumentException with a one-line message when it cannot be opened
   */
  public IcebergLake openTables() {
    return lakeAddress().open();
  }

  /** Where the lake's tables are, for a job's workers. */
  public LakeAddress lakeAddress() {
    return new LakeAddress(options.getCatalog(), options.getCatalogNamespace(), options.getOutput());
  }

  public String runId() {
    return options.getRunId();
  }

  /** The runner's short name ({@code FlinkRunner}), for lines and reports. */
  public String runnerName() {
    return options.getRunner().getSimpleName();
  }

  public Engine engine() {
    return Engine.of(options.getRunner());
  }

  /** Whether a serving database is to be loaded. */
  public boolean serves() {
    String url = options.getServingJdbcUrl();
    return url != null && !url.isBlank();
  }
}
