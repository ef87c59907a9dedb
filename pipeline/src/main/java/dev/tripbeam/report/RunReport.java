package dev.tripbeam.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tripbeam.lake.LakeZone;
import dev.tripbeam.lake.RunMode;
import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RejectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report of one run, built from counts made as data (not from metrics, so it is exact on every runner). Each
 * count is made where its records are: {@code read} by the reader, per file (rows emitted, plus one per unreadable
 * file and one per file that failed part way), {@code trips_processed_before} by the reader of the processed zone
 * (incremental runs: the trips of the dates the run recomputes), {@code duplicates} and {@code
 * conflicting_duplicates} by deduplication where the copies disappear, {@code rejected} per reason over the rejected
 * records, and the rows of every zone from the footers of the Parquet files the run wrote. None is derived from
 * another, so
 *
 * <pre>
 *   read + trips_processed_before = processed rows + duplicates + conflicting_duplicates + rejected (by the rules)
 *                                   + outside_reprocessed_dates (reprocess runs: re-read trips of other dates)
 *   rejected rows = conflicting_duplicates + rejected (by the rules)
 *   conflicting_duplicates = rejected records with reason conflicting_duplicate
 * </pre>
 *
 * <p>is a check that fails when a step or a writer loses or invents records; {@link #reconciled()} says whether all
 * three held. {@code valid} is the growth of the processed zone: processed rows minus {@code trips_processed_before}.
 */
public final class RunReport {
  private static final String CONFLICTING_REASON = RejectReason.CONFLICTING_DUPLICATE.code();

  private final String runId;
  private final String runner;
  private final RunMode mode;
  private final List<Map<String, Object>> inputs;
  private final int skippedInputs;
  private final int hiddenInputs;
  private final long processedBefore;
  private final Instant start;
  private final Instant end;
  private final long read;
  private final long valid;
  private final long processedRows;
  private final long duplicates;
  private final long conflicting;
  private final long outsideDates;
  private final List<String> touchedDates;
  private final Map<String, Long> rejected;
  private final Map<String, Map<String, Object>> outputs;
  private Map<String, Long> engineCounters = Map.of();
  private Map<String, Double> stageSeconds = Map.of();
  /** The serving load, when the run has one: pending until the lake is published, then its result. */
  private Map<String, Object> serving;
  private String servingLine;

  public RunReport(
      String runId,
      String runner,
      RunMode mode,
      List<Map<String, Object>> inputs,
      int skippedInputs,
      int hiddenInputs,
      Instant start,
      Instant end,
      Map<String, Long> counts,
      Map<String, String> outputPaths) {
    this.runId = runId;
    this.runner = runner;
    this.mode = mode;
    this.inputs = inputs;
    this.skippedInputs = skippedInputs;
    this.hiddenInputs = hiddenInputs;
    this.processedBefore = counts.getOrDefault(CheckedTrip.PROCESSED_BEFORE, 0L);
    this.start = start;
    this.end = end;
    Map<String, Long> byReason = new TreeMap<>();
    Map<String, Map<String, Object>> outs = new LinkedHashMap<>();
    for (Map.Entry<String, String> out : outputPaths.entrySet()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("path", out.getValue());
      o.put("rows", counts.getOrDefault(CountLabels.ROWS_PREFIX + out.getKey(), 0L));
      outs.put(out.getKey(), o);
    }
    counts.forEach(
        (label, n) -> {
          if (label.startsWith(CountLabels.REJECTED_PREFIX)) {
            byReason.put(label.substring(CountLabels.REJECTED_PREFIX.length()), n);
          }
        });
    this.rejected = Collections.unmodifiableMap(byReason);
    this.outputs = Collections.unmodifiableMap(outs);
    long fileRecords = byReason.getOrDefault(RejectReason.UNREADABLE_FILE.code(), 0L)
            + byReason.getOrDefault(RejectReason.TRUNCATED_FILE.code(), 0L);
    this.read = counts.getOrDefault(CheckedTrip.READ_ROWS, 0L) + fileRecords;
    this.processedRows = counts.getOrDefault(CountLabels.ROWS_PREFIX + LakeZone.PROCESSED_TRIPS.zoneName(), 0L);
    this.valid = processedRows - processedBefore;
    this.duplicates = counts.getOrDefault(CheckedTrip.COPIES_REMOVED, 0L);
    this.conflicting = counts.getOrDefault(CheckedTrip.CONFLICTING_COPIES, 0L);
    this.outsideDates = counts.getOrDefault(CheckedTrip.OUTSIDE_DATES, 0L);
    this.touchedDates =
        counts.keySet().stream()
            .filter(label -> label.startsWith(CountLabels.TOUCHED_DATE_PREFIX))
            .map(label -> label.substring(CountLabels.TOUCHED_DATE_PREFIX.length()))
            .sorted()
            .toList();
  }

  public String runId() {
    return runId;
  }

  public String runner() {
    return runner;
  }

  public long read() {
    return read;
  }

  public long valid() {
    return valid;
  }

  /** Copies removed whose content equals the kept copy's. */
  public long duplicates() {
    return duplicates;
  }

  /** Copies rejected because their content differs from the kept copy's, as deduplication counted them. */
  public long conflictingDuplicates() {
    return conflicting;
  }

  /** The pickup dates an incremental run recomputed (their partitions replace the lake's); empty otherwise. */
  public List<String> touchedDates() {
    return touchedDates;
  }

  /** Rejected records per reason code (only reasons that occurred). */
  public Map<String, Long> rejected() {
    return rejected;
  }

  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Rows written per output ({@code processed_trips}, {@code zone_daily}, {@code rejected}). */
  public long rowsWritten(String output) {
    Map<String, Object> o = outputs.get(output);
    return o == null ? 0 : (Long) o.get("rows");
  }

  public boolean reconciled() {
    long byRules = rejectedTotal() - rejected.getOrDefault(CONFLICTING_REASON, 0L);
    return read + processedBefore == processedRows + duplicates + conflicting + byRules + outsideDates
        && rowsWritten(LakeZone.REJECTED.zoneName()) == conflicting + byRules
        && conflicting == rejected.getOrDefault(CONFLICTING_REASON, 0L);
  }

  /** The engine's time: from the pipeline's start to its end. */
  public Duration wallTime() {
    return Duration.between(start, end);
  }

  /** The engine's Beam counters of the run and the seconds of its stages (listing inputs, engine, counting outputs). */
  public void engineMetrics(Map<String, Long> counters, Map<String, Double> stages) {
    this.engineCounters = Collections.unmodifiableMap(new TreeMap<>(counters));
    this.stageSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
  }

  public Map<String, Long> engineCounters() {
    return engineCounters;
  }

  /** The share of the records read that were rejected, in percent (0 when nothing was read). */
  public double rejectedPercent() {
    return read == 0 ? 0 : 100.0 * rejectedTotal() / read;
  }

  /**
   * The run's metrics as the {@code --metric-data} JSON of {@code aws cloudwatch put-metric-data}: one datum per
   * count, the rejected share and the wall time, each with the dimension {@code Lake} (the lake's root).
   */
  public String cloudWatchMetrics(String lake) {
    List<Map<String, Object>> data =
        List.of(
            datum(lake, "RowsRead", read, "Count"),
            datum(lake, "RowsValid", valid, "Count"),
            datum(lake, "Duplicates", duplicates, "Count"),
            datum(lake, "RowsRejected", rejectedTotal(), "Count"),
            datum(lake, "RejectedShare", rejectedPercent(), "Percent"),
            datum(lake, "RunSeconds", wallTime().toMillis() / 1000.0, "Seconds"),
            datum(lake, "Reconciled", reconciled() ? 1 : 0, "Count"));
    return indented(data);
  }

  private Map<String, Object> datum(String lake, String name, Number value, String unit) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("MetricName", name);
    d.put("Dimensions", List.of(Map.of("Name", "Lake", "Value", lake)));
    d.put("Timestamp", end.toString());
    d.put("Value", value);
    d.put("Unit", unit);
    return d;
  }

  private static String indented(Object value) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Records the serving load's state: its report section and its summary line. */
  public void serving(Map<String, Object> section, String line) {
    this.serving = section;
    this.servingLine = line;
  }

  public String toJson() {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("read", read);
    counts.put("valid", valid);
    counts.put("duplicates", duplicates);
    counts.put("conflicting_duplicates", conflicting);
    if (mode == RunMode.REPROCESS) {
      counts.put(CheckedTrip.OUTSIDE_DATES, outsideDates);
    }
    counts.put("rejected", rejected);
    counts.put("rejected_total", rejectedTotal());
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("run_id", runId);
    root.put("runner", runner);
    root.put("mode", mode.label());
    root.put("inputs", inputs);
    root.put("inputs_already_processed", skippedInputs);
    root.put("hidden_or_marker_files_skipped", hiddenInputs);
    root.put("trips_processed_before", processedBefore);
    root.put("pickup_dates_recomputed", touchedDates);
    root.put("start_time", start.toString());
    root.put("end_time", end.toString());
    root.put("wall_seconds", wallTime().toMillis() / 1000.0);
    root.put("counts", counts);
    root.put("outputs", outputs);
    root.put("reconciled", reconciled());
    if (!stageSeconds.isEmpty()) {
      root.put("stage_seconds", stageSeconds);
    }
    if (!engineCounters.isEmpty()) {
      root.put("engine_counters", engineCounters);
    }
    if (serving != null) {
      root.put("serving", serving);
    }
    return indented(root);
  }

  /** A few lines for a person at a terminal. */
  public String summary(String reportPath) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "tripbeam run %s on %s (%s): %d input file(s)%s%s%n",
            runId,
            runner,
            mode.label().replace('_', ' '),
            inputs.size(),
            skippedInputs == 0 ? "" : ", " + skippedInputs + " already processed",
            hiddenInputs == 0 ? "" : ", " + hiddenInputs + " hidden or marker file(s) skipped"));
    s.append(String.format(Locale.ROOT, "  read        %,d%n", read));
    s.append(String.format(Locale.ROOT, "  valid       %,d%n", valid));
    s.append(String.format(Locale.ROOT, "  duplicates  %,d%n", duplicates));
    s.append(
        String.format(
            Locale.ROOT, "  conflicting %,d  (copies whose content differs from the kept one)%n", conflicting));
    if (mode == RunMode.REPROCESS) {
      s.append(String.format(Locale.ROOT, "  rebuilt     %s%n", String.join(", ", touchedDates)));
      s.append(
          String.format(
              Locale.ROOT, "  other dates %,d trips of the re-read files, left as the lake has them%n", outsideDates));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "  rejected    %,d%s%n",
            rejectedTotal(),
            conflicting == 0 ? "" : "  (the conflicting copies among them)"));
    rejected.forEach((reason, n) -> s.append(String.format(Locale.ROOT, "    %-32s %,d%n", reason, n)));
    s.append("  outputs\n");
    outputs.forEach(
        (name, o) ->
            s.append(String.format(Locale.ROOT, "    %-16s %,d rows  %s%n", name, o.get("rows"), o.get("path"))));
    s.append(String.format(Locale.ROOT, "  report      %s%n", reportPath));
    s.append(
        String.format(
            Locale.ROOT,
            "  reconciled  %s (read = valid + duplicates + rejected%s)%n",
            reconciled() ? "yes" : "NO",
            mode == RunMode.REPROCESS ? " + other dates" : ""));
    s.append(String.format(Locale.ROOT, "  engine      %.1f s (the pipeline, start to finish)%n", wallTime().toMillis() / 1000.0));
    if (servingLine != null) {
      s.append(String.format(Locale.ROOT, "  serving     %s%n", servingLine));
    }
    return s.toString();
  }
}
