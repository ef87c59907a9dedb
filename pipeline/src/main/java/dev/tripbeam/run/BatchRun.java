package dev.tripbeam.run;

import dev.tripbeam.graph.BatchGraph;
import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.io.EmptyZone;
import dev.tripbeam.io.InputFormat;
import dev.tripbeam.io.ParquetRows;
import dev.tripbeam.lake.IcebergLake;
import dev.tripbeam.lake.Lake;
import dev.tripbeam.lake.LakeLayout;
import dev.tripbeam.lake.LakeZone;
import dev.tripbeam.lake.Publication;
import dev.tripbeam.lake.RawFile;
import dev.tripbeam.lake.RunMode;
import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.Zone;
import dev.tripbeam.options.RunRequest;
import dev.tripbeam.report.CountLabels;
import dev.tripbeam.report.ReportFiles;
import dev.tripbeam.report.RunCounts;
import dev.tripbeam.report.RunReport;
import dev.tripbeam.serving.ServingLoader;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A batch run as named steps: roll a pending publication forward, list the inputs against the ledger, run the graph
 * ({@link BatchGraph}) on the engine, count what it wrote into the {@link RunReport}, commit to the lake's tables when
 * the counts reconcile (else keep the staged outputs), expire old snapshots, and load the serving database. Input: a
 * checked {@link RunRequest}; output: the {@link Outcome}.
 */
final class BatchRun {
  private final RunRequest request;
  private final RunListener listener;
  private final LakeLayout layout;
  private final Lake lake;
  private final Publication publication;
  private final @Nullable ServingStep serving;

  private BatchRun(RunRequest request, RunListener listener, IcebergLake tables) {
    this.request = request;
    this.listener = listener;
    this.layout = request.layout();
    this.lake = new Lake(tables);
    this.publication = new Publication(tables, ReportFiles::write);
    this.serving = ServingStep.of(request);
  }

  static Outcome run(RunRequest request, RunListener listener, BatchGraph.Steps steps) {
    try (IcebergLake tables = openTables(request)) {
      return new BatchRun(request, listener, tables).run(steps);
    } catch (IOException e) {
      throw new UserError("closing the lake's catalog failed: " + e.getMessage());
    }
  }

  /** The lake's tables, or a one-line error when their catalog cannot be opened. */
  static IcebergLake openTables(RunRequest request) {
    try {
      return request.openTables();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    } catch (RuntimeException e) {
      throw new UserError("cannot open the lake's catalog: " + e.getMessage());
    }
  }

  private Outcome run(BatchGraph.Steps steps) {
    listener.phase("listing the inputs");
    Instant listing = Instant.now();
    RunInputs inputs = listInputs();
    listener.context("mode", request.mode().label());
    listener.context("input_count", inputs.files().size());
    listener.line(startLine(inputs));
    if (inputs.files().isEmpty()) {
      return nothingNew(inputs);
    }
    List<Zone> zones = ZoneTables.load(request);
    listener.engineStarting(inputs.files().size());
    Pipeline pipeline = Pipeline.create(request.options());
    BatchGraph.build(pipeline, request, inputs.paths(), zones, inputs.history(), steps);
    Instant start = Instant.now();
    listener.phase("starting the engine");
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    Instant end = Instant.now();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended in state " + state);
    }
    listener.phase("counting the outputs");
    Map<String, Long> counts = countOutputs();
    List<RawFile> files = withFileResults(inputs.files(), counts);
    RunReport report = report(inputs, counts, start, end);
    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put("list_inputs", seconds(listing, start));
    stages.put("engine", seconds(start, end));
    stages.put("count_outputs", seconds(end, Instant.now()));
    report.engineMetrics(EngineCounters.of(result), stages);
    if (!report.reconciled()) {
      return keepStaged(report, result);
    }
    listener.phase("publishing the outputs");
    Instant publishing = Instant.now();
    publish(report, files, inputs.bases());
    Instant published = Instant.now();
    expire();
    listener.line(String.format(Locale.ROOT, "tripbeam: published the run in %.1f s, expired old snapshots in %.1f s",
        seconds(publishing, published), seconds(published, Instant.now())));
    return serve(report, result);
  }

  /** Completes the publications that runs left pending, then lists this run's raw files. */
  private RunInputs listInputs() {
    try {
      recover(publication, listener);
      // A full refresh replaces everything and needs no history; the others read the ledger and the processed trips.
      if (request.mode().replacesPartitions() && lake.needsUpgrade()) {
        throw folderFormat(request.options().getOutput());
      }
      return RunInputs.list(request, lake);
    } catch (IOException e) {
      throw new UserError(
          "cannot read the inputs or the lake at " + request.options().getOutput() + ": " + e.getMessage());
    }
  }

  /** The refusal of a lake of the folder format, by a command that needs its tables. */
  static UserError folderFormat(String output) {
    return new UserError(
        "the lake at " + output + " is of the folder format (before Iceberg tables): register it once with "
            + "--upgradeLake=true --output=" + output);
  }

  /** Rolls forward the publications that runs left pending, saying so. */
  static void recover(Publication publication, RunListener listener) throws IOException {
    for (String recovered : publication.recover()) {
      listener.line("tripbeam: rolled forward the publication of " + recovered + ", which had stopped part way");
    }
  }

  /** Expires the tables' old snapshots; a failure leaves a larger lake, said on the console. */
  private void expire() {
    for (String failed : lake.expire(request.options().getExpireSnapshotsDays())) {
      listener.line("tripbeam: expiring old snapshots failed for " + failed);
    }
  }

  /** An incremental run without a new raw file: the lake stays; a serving load that failed before is finished. */
  private Outcome nothingNew(RunInputs inputs) {
    String summary =
        String.format(
            Locale.ROOT,
            "tripbeam run %s: no new raw file under %s (%d already processed); the lake is unchanged%n",
            request.runId(),
            request.options().getInput(),
            inputs.alreadyProcessed());
    if (serving == null) {
      return Outcome.summary(summary);
    }
    listener.phase("loading the serving database");
    ServingLoader.Result loaded = serving.level(lake.tables(), request.runId());
    return new Outcome(null, null, null, summary + serving.line(loaded), loaded);
  }

  /**
   * The run's counts as its graph wrote them, and the rows of every zone as written, counted from the staged files'
   * footers so that a row lost by a writer shows.
   */
  private Map<String, Long> countOutputs() {
    LakeLayout staged = layout.staged(request.runId());
    try {
      EmptyZone.ensureReadable(staged.zone(LakeZone.REJECTED), AvroRecords.rejected());
      Map<String, Long> counts = RunCounts.read(layout.counts(request.runId()));
      for (Map.Entry<String, String> zone : staged.zones().entrySet()) {
        counts.put(CountLabels.ROWS_PREFIX + zone.getKey(), ParquetRows.under(zone.getValue()));
      }
      request.reprocessDates().forEach(date -> counts.put(CountLabels.TOUCHED_DATE_PREFIX + date, 1L));
      return counts;
    } catch (IOException e) {
      throw new IllegalStateException("cannot count the rows the run wrote", e);
    }
  }

  /** Each raw file with its file-level error and the pickup dates of its valid trips, for the manifest. */
  private static List<RawFile> withFileResults(List<RawFile> files, Map<String, Long> counts) {
    Map<String, SortedSet<String>> errors = RunCounts.perFile(counts, CheckedTrip.FILE_ERROR_PREFIX);
    Map<String, SortedSet<String>> dates = RunCounts.perFile(counts, CheckedTrip.FILE_DATE_PREFIX);
    List<RawFile> results = new ArrayList<>();
    for (RawFile f : files) {
      results.add(
          f.withError(errors.containsKey(f.path()) ? errors.get(f.path()).first() : null)
              .withDates(List.copyOf(dates.getOrDefault(f.path(), new TreeSet<>()))));
    }
    return results;
  }

  private RunReport report(RunInputs inputs, Map<String, Long> counts, Instant start, Instant end) {
    List<Map<String, Object>> inputInfo = new ArrayList<>();
    for (RawFile f : inputs.files()) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("path", f.path());
      i.put("bytes", f.size());
      i.put("checksum", f.checksum());
      inputInfo.add(i);
    }
    return new RunReport(
        request.runId(),
        request.runnerName(),
        request.mode(),
        inputInfo,
        inputs.alreadyProcessed(),
        inputs.hidden(),
        start,
        end,
        counts,
        layout.zones());
  }

  /** Records were lost or invented between the steps: nothing is published, the staged zones stay for inspection. */
  private Outcome keepStaged(RunReport report, PipelineResult result) {
    String kept = layout.staging(request.runId()) + "/run-" + request.runId() + ".json";
    try {
      ReportFiles.write(kept, report.toJson());
    } catch (IOException e) {
      throw new UserError("cannot write the report " + kept + ": " + e.getMessage());
    }
    return new Outcome(
        report,
        result,
        kept,
        report.summary(kept)
            + "  NOT published: the counts do not reconcile; the run's output stays under "
            + layout.staging(request.runId()) + System.lineSeparator(),
        null);
  }

  private void publish(RunReport report, List<RawFile> files, Map<String, Long> bases) {
    if (serving != null) {
      report.serving(Map.of("status", "pending", "database", serving.target().shown()), null);
    }
    try {
      publication.publish(
          publication.plan(request.runId(), request.mode(), files, report.touchedDates(), bases, report.toJson()));
    } catch (Publication.ConcurrentRunException e) {
      throw new UserError("publishing run " + request.runId() + " failed: " + e.getMessage());
    } catch (IOException e) {
      throw new UserError(
          "publishing run " + request.runId() + " failed: " + e.getMessage() + "; the next run completes it");
    }
  }

  /** Loads the serving database after publication and records the load in the report. */
  private Outcome serve(RunReport report, PipelineResult result) {
    String reportPath = layout.report(request.runId());
    if (serving == null) {
      return new Outcome(report, result, reportPath, report.summary(reportPath), null);
    }
    listener.phase("loading the serving database");
    ServingLoader.Result loaded = serving.level(lake.tables(), request.runId());
    report.serving(loaded.toMap(serving.target()), loaded.line(serving.target()));
    String summary = report.summary(reportPath);
    try {
      ReportFiles.write(reportPath, report.toJson());
    } catch (IOException e) {
      summary +=
          "  (the report's serving section could not be written: " + e.getMessage() + ")" + System.lineSeparator();
    }
    return new Outcome(report, result, reportPath, summary, loaded);
  }

  /** What the run is about to do, for the console. */
  private String startLine(RunInputs inputs) {
    Map<String, Integer> byFormat = new TreeMap<>();
    InputFormat format = InputFormat.parse(request.options().getInputFormat());
    for (RawFile f : inputs.files()) {
      byFormat.merge(format.forFile(f.path()).name().toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    byFormat.forEach((k, v) -> parts.add(k + " " + v));
    RunMode mode = request.mode();
    return String.format(
        Locale.ROOT,
        "tripbeam run %s on %s (%s): %d input file(s)%s into %s%s%s",
        request.runId(),
        request.runnerName(),
        mode == RunMode.REPROCESS
            ? "reprocess " + String.join(",", request.reprocessDates())
            : mode.label().replace('_', ' '),
        inputs.files().size(),
        parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")",
        request.options().getOutput(),
        inputs.alreadyProcessed() == 0 ? "" : "; " + inputs.alreadyProcessed() + " already processed",
        inputs.hidden() == 0 ? "" : "; skipped " + inputs.hidden() + " hidden or marker file(s)");
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
