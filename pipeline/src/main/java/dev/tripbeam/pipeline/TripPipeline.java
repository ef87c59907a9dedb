package dev.tripbeam.pipeline;

import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.io.EmptyZone;
import dev.tripbeam.io.InputFormat;
import dev.tripbeam.io.ParquetRows;
import dev.tripbeam.io.ReadProcessedTrips;
import dev.tripbeam.io.ReadTripFiles;
import dev.tripbeam.io.WriteParquet;
import dev.tripbeam.io.WriteRunCounts;
import dev.tripbeam.io.ZoneTable;
import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.FareAnomaly;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.UserDaily;
import dev.tripbeam.model.Zone;
import dev.tripbeam.model.ZoneDaily;
import dev.tripbeam.serving.ServingLoader;
import dev.tripbeam.serving.ServingLogin;
import dev.tripbeam.serving.ServingTarget;
import dev.tripbeam.transforms.AggregateUserDaily;
import dev.tripbeam.transforms.AggregateZoneDaily;
import dev.tripbeam.transforms.CountRecords;
import dev.tripbeam.transforms.DeduplicateTrips;
import dev.tripbeam.transforms.DetectFareAnomalies;
import dev.tripbeam.transforms.EnrichTrips;
import dev.tripbeam.transforms.SelectPickupDates;
import dev.tripbeam.transforms.SelectRejectedAndCounts;
import dev.tripbeam.transforms.SelectTouchedDates;
import dev.tripbeam.transforms.SelectTrips;
import dev.tripbeam.transforms.TripRules;
import dev.tripbeam.transforms.ValidateTrips;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The tripbeam batch job: raw trip files in, curated zones and a run report out.
 *
 * <p>Inputs: {@code --input} files (TLC yellow/green CSV, CSV.gz, Parquet) and the zone table. Outputs under
 * {@code --output}: {@code processed/trips/pickup_date=D/} (valid unique enriched trips),
 * {@code aggregated/zone_daily/}, {@code rejected/} (every rejected record with reason and raw input) and
 * {@code _reports/run-<runId>.json}. Options: {@link TripPipelineOptions} plus the runner's own. The command
 * line, with the runner the Maven profile chose as default, is {@link TripCommand}.
 */
public final class TripPipeline {
  /** The column every zone but the rejected one is partitioned by, Hive-style ({@code pickup_date=YYYY-MM-DD/}). */
  static final String PARTITION_COLUMN = OutputLayout.PARTITION_COLUMN;

  private TripPipeline() {}

  /** The collections of a built graph, for tests that assert on the real graph. */
  public static final class Graph {
    public final PCollection<CheckedTrip> checked;
    /** The trips this run writes to the processed zone (incremental: all trips of the dates it recomputes). */
    public final PCollection<Trip> newTrips;
    public final PCollection<EnrichedTrip> enriched;
    public final PCollection<ZoneDaily> zoneDaily;
    public final PCollection<UserDaily> userDaily;
    public final PCollection<FareAnomaly> anomalies;
    public final PCollection<RejectedRecord> rejected;

    Graph(
        PCollection<CheckedTrip> checked,
        PCollection<Trip> newTrips,
        PCollection<EnrichedTrip> enriched,
        PCollection<ZoneDaily> zoneDaily,
        PCollection<UserDaily> userDaily,
        PCollection<FareAnomaly> anomalies,
        PCollection<RejectedRecord> rejected) {
      this.checked = checked;
      this.newTrips = newTrips;
      this.enriched = enriched;
      this.zoneDaily = zoneDaily;
      this.userDaily = userDaily;
      this.anomalies = anomalies;
      this.rejected = rejected;
    }
  }

  /**
   * The steps of the graph that drop records, replaceable so that a test can put in a step that loses a trip and see
   * the run's reconciliation catch it.
   */
  public interface Steps {
    Steps DEFAULT = DeduplicateTrips::of;

    /** Deduplication of the checked trips, as {@link DeduplicateTrips}. */
    PTransform<PCollection<CheckedTrip>, PCollection<CheckedTrip>> deduplicate();
  }

  /** What a finished run returns; report, result and path are null when an incremental run found nothing new. */
  public static final class Outcome {
    public final @Nullable RunReport report;
    public final @Nullable PipelineResult result;
    public final @Nullable String reportPath;
    public final String summary;
    /** The serving load's result; null when the run has no serving database or did not reach it. */
    public final ServingLoader.@Nullable Result serving;

    Outcome(
        @Nullable RunReport report, @Nullable PipelineResult result, @Nullable String reportPath, String summary) {
      this(report, result, reportPath, summary, null);
    }

    Outcome(
        @Nullable RunReport report,
        @Nullable PipelineResult result,
        @Nullable String reportPath,
        String summary,
        ServingLoader.@Nullable Result serving) {
      this.report = report;
      this.result = result;
      this.reportPath = reportPath;
      this.summary = summary;
      this.serving = serving;
    }
  }

  /** A problem the user can fix; printed without a stack trace. */
  public static final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
      super(message);
    }
  }

  /** The job's command line ({@link TripCommand}), kept here as the class scripts and job jars name. */
  public static void main(String[] args) {
    TripCommand.main(args);
  }

  /**
   * Validates, builds and runs the job, waits for it, and publishes its outputs and report into the lake. An
   * incremental run with no new raw file changes nothing and returns an outcome without a report.
   */
  public static Outcome run(TripPipelineOptions options) {
    return run(options, phase -> {});
  }

  /** {@link #run(TripPipelineOptions)}, telling {@code phase} what it does while the engine is not running. */
  public static Outcome run(TripPipelineOptions options, Consumer<String> phase) {
    return run(options, phase, Steps.DEFAULT);
  }

  /** {@link #run(TripPipelineOptions, Consumer)} with the given {@link Steps}. */
  public static Outcome run(TripPipelineOptions options, Consumer<String> phase, Steps steps) {
    TripPipelineOptions.validate(options);
    FileSystems.setDefaultPipelineOptions(options);
    if (options.isStreaming()) {
      return TripStreaming.run(options, phase);
    }
    OutputLayout layout = new OutputLayout(options.getOutput());
    Lake lake = new Lake(layout);
    Serving serving = Serving.of(options);
    if (options.getServeOnly()) {
      return serveOnly(options, lake, serving, phase);
    }
    phase.accept("listing the inputs");
    Instant listing = Instant.now();
    String runId = options.getRunId();
    boolean incremental = options.getIncremental();
    SortedSet<String> reprocess = TripPipelineOptions.reprocessDates(options);
    String mode = !reprocess.isEmpty() ? Lake.REPROCESS : incremental ? Lake.INCREMENTAL : Lake.FULL_REFRESH;
    List<Lake.RawFile> rawFiles = new ArrayList<>();
    int skipped = 0;
    Inputs inputs = new Inputs();
    boolean readHistory;
    try {
      recover(lake);
      if (!reprocess.isEmpty()) {
        rawFiles.addAll(rawFilesHolding(lake, reprocess, options.getOutput()));
        readHistory = false;
      } else {
        Set<String> committed = incremental ? lake.committedRawFiles() : Set.of();
        inputs = resolveInputs(options.getInput());
        for (MatchResult.Metadata file : inputs.files) {
          Lake.RawFile raw = Lake.RawFile.of(file);
          if (committed.contains(raw.key())) {
            skipped++;
          } else {
            rawFiles.add(raw);
          }
        }
        readHistory = incremental && lake.hasCommittedRuns();
      }
    } catch (IOException e) {
      throw new UserError("cannot read the inputs or the lake at " + options.getOutput() + ": " + e.getMessage());
    }
    TripConsole.context("mode", mode);
    TripConsole.context("input_count", rawFiles.size());
    TripConsole.err().println(startLine(options, mode, rawFiles, skipped, inputs.hidden));
    if (rawFiles.isEmpty()) {
      String summary =
          String.format(
              Locale.ROOT,
              "tripbeam run %s: no new raw file under %s (%d already processed); the lake is unchanged%n",
              runId,
              options.getInput(),
              skipped);
      if (serving == null) {
        return new Outcome(null, null, null, summary);
      }
      // A load that failed before is finished here: the database is brought level with the unchanged lake.
      phase.accept("loading the serving database");
      ServingLoader.Result loaded = serving.level(options.getOutput(), runId);
      return new Outcome(
          null,
          null,
          null,
          summary + "  serving     " + loaded.line(serving.target()) + System.lineSeparator(),
          loaded);
    }
    List<Zone> zones;
    try {
      zones = ZoneTable.load(options.getZones());
    } catch (IOException e) {
      throw new UserError("cannot load the zone table: " + e.getMessage());
    }

    if (Boolean.getBoolean(TripCommand.AUTO_SPARK_PARALLELISM)) {
      // At least two partitions per raw file: with 16 partitions for 60 files (30M trips), cached blocks of ~1 GB
      // ran a 6 GiB heap out of memory when read back.
      System.setProperty(TripCommand.SPARK_PARALLELISM, Integer.toString(Math.max(16, 2 * rawFiles.size())));
    }
    Pipeline pipeline = Pipeline.create(options);
    List<String> paths = new ArrayList<>();
    rawFiles.forEach(f -> paths.add(f.path()));
    build(pipeline, options, paths, zones, readHistory, steps);
    Instant start = Instant.now();
    phase.accept("starting the engine");
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    Instant end = Instant.now();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended in state " + state);
    }
    OutputLayout staged = layout.staged(runId);
    try {
      EmptyZone.ensureReadable(staged.rejected(), AvroRecords.rejected());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write an empty zone file", e);
    }

    List<Map<String, Object>> inputInfo = new ArrayList<>();
    for (Lake.RawFile f : rawFiles) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("path", f.path());
      i.put("bytes", f.size());
      i.put("checksum", f.checksum());
      inputInfo.add(i);
    }
    phase.accept("publishing the outputs");
    Map<String, Long> counts = readCounts(layout.counts(runId));
    try {
      // Rows per zone as written: counted from the staged files' footers, so that a row lost by a writer shows.
      for (Map.Entry<String, String> zone : staged.zones().entrySet()) {
        counts.put(RunReport.ROWS_PREFIX + zone.getKey(), ParquetRows.under(zone.getValue()));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot count the rows the run wrote", e);
    }
    Map<String, SortedSet<String>> fileErrors = perFile(counts, RunReport.FILE_ERROR_PREFIX);
    Map<String, SortedSet<String>> fileDates = perFile(counts, CheckedTrip.FILE_DATE_PREFIX);
    rawFiles.replaceAll(
        f ->
            f.withError(fileErrors.containsKey(f.path()) ? fileErrors.get(f.path()).first() : null)
                .withDates(List.copyOf(fileDates.getOrDefault(f.path(), new TreeSet<>()))));
    reprocess.forEach(date -> counts.put(RunReport.TOUCHED_DATE_PREFIX + date, 1L));
    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put("list_inputs", seconds(listing, start));
    stages.put("engine", seconds(start, end));
    stages.put("count_outputs", seconds(end, Instant.now()));
    RunReport report =
        new RunReport(
            runId,
            options.getRunner().getSimpleName(),
            mode,
            inputInfo,
            skipped,
            inputs.hidden,
            start,
            end,
            counts,
            layout.zones());
    report.engineMetrics(engineCounters(result), stages);
    if (!report.reconciled()) {
      // Records were lost or invented between the steps: nothing is published, the staged zones stay for inspection.
      String kept = layout.staging(runId) + "/run-" + runId + ".json";
      try {
        Lake.writeReport(kept, report.toJson());
      } catch (IOException e) {
        throw new UserError("cannot write the report " + kept + ": " + e.getMessage());
      }
      return new Outcome(
          report,
          result,
          kept,
          report.summary(kept)
              + "  NOT published: the counts do not reconcile; the run's output stays under "
              + layout.staging(runId) + System.lineSeparator());
    }
    String reportPath = layout.report(runId);
    if (serving != null) {
      report.serving(Map.of("status", "pending", "database", serving.target().shown()), null);
    }
    try {
      lake.publish(lake.plan(runId, mode, rawFiles, report.touchedDates(), report.toJson()));
    } catch (IOException e) {
      throw new UserError(
          "publishing run " + runId + " failed: " + e.getMessage() + "; the next run completes it");
    }
    if (serving == null) {
      return new Outcome(report, result, reportPath, report.summary(reportPath));
    }
    phase.accept("loading the serving database");
    ServingLoader.Result loaded = serving.level(options.getOutput(), runId);
    report.serving(loaded.toMap(serving.target()), loaded.line(serving.target()));
    String summary = report.summary(reportPath);
    try {
      Lake.writeReport(reportPath, report.toJson());
    } catch (IOException e) {
      summary += "  (the report's serving section could not be written: " + e.getMessage() + ")"
          + System.lineSeparator();
    }
    return new Outcome(report, result, reportPath, summary, loaded);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  /**
   * The run's Beam counters ({@code Metrics.counter}), summed over the steps that count them, as the engine reported
   * them for the attempts that succeeded; empty where the runner keeps none.
   */
  static Map<String, Long> engineCounters(PipelineResult result) {
    Map<String, Long> counters = new TreeMap<>();
    try {
      for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
        counters.merge(c.getName().getNamespace() + "." + c.getName().getName(), c.getAttempted(), Long::sum);
      }
    } catch (UnsupportedOperationException e) {
      return Map.of();
    }
    return counters;
  }

  /** The serving database of a run and its login, resolved before the run so that a missing login fails early. */
  record Serving(ServingTarget target, ServingLogin login, int maxConnections) {
    static @Nullable Serving of(TripPipelineOptions options) {
      String url = options.getServingJdbcUrl();
      if (url == null || url.isBlank()) {
        return null;
      }
      ServingTarget target = ServingTarget.parse(url);
      try {
        ServingLogin login =
            ServingLogin.resolve(
                target,
                options.getServingSecretArn(),
                options.getAwsRegion(),
                options.getAwsCredentialsProvider(),
                System.getenv());
        return new Serving(target, login, options.getServingMaxConnections());
      } catch (IOException e) {
        throw new UserError(e.getMessage());
      }
    }

    ServingLoader.Result level(String lakeRoot, String runId) {
      return ServingLoader.level(target, login, lakeRoot, runId, maxConnections);
    }
  }

  /** Completes the publications that runs left pending, saying so. */
  private static void recover(Lake lake) throws IOException {
    for (String recovered : lake.recover()) {
      TripConsole.err()
          .println("tripbeam: completed the publication of run " + recovered + ", which had stopped part way");
    }
  }

  /** {@code --serveOnly}: completes a pending publication, then brings the serving database level with the lake. */
  private static Outcome serveOnly(
      TripPipelineOptions options, Lake lake, Serving serving, Consumer<String> phase) {
    try {
      recover(lake);
      if (!lake.hasCommittedRuns()) {
        throw new UserError("no committed run in the lake at " + options.getOutput() + ": nothing to serve");
      }
    } catch (IOException e) {
      throw new UserError("cannot read the inputs or the lake at " + options.getOutput() + ": " + e.getMessage());
    }
    phase.accept("loading the serving database");
    ServingLoader.Result loaded = serving.level(options.getOutput(), options.getRunId());
    String summary =
        String.format(
            Locale.ROOT,
            "tripbeam serve %s: the lake at %s into the serving database%n  serving     %s%n",
            options.getRunId(),
            options.getOutput(),
            loaded.line(serving.target()));
    return new Outcome(null, null, null, summary, loaded);
  }

  /**
   * Applies the whole job to {@code pipeline}; {@code inputFiles} are resolved paths, {@code zones} the table. Every
   * output goes to the run's staging area. With {@code readHistory} the processed trips of the pickup dates the new
   * trips fall on are read back and deduplicated with them, and every output but the rejected records is computed
   * for those dates alone (their partitions replace the lake's at publication).
   */
  public static Graph build(
      Pipeline pipeline,
      TripPipelineOptions options,
      List<String> inputFiles,
      List<Zone> zones,
      boolean readHistory) {
    return build(pipeline, options, inputFiles, zones, readHistory, Steps.DEFAULT);
  }

  /** {@link #build(Pipeline, TripPipelineOptions, List, List, boolean)} with the given {@link Steps}. */
  public static Graph build(
      Pipeline pipeline,
      TripPipelineOptions options,
      List<String> inputFiles,
      List<Zone> zones,
      boolean readHistory,
      Steps steps) {
    OutputLayout layout = new OutputLayout(options.getOutput());
    OutputLayout staged = layout.staged(options.getRunId());
    PCollection<CheckedTrip> checked =
        pipeline
            .apply("ListInputFiles", Create.of(inputFiles).withCoder(StringUtf8Coder.of()))
            .apply(
                "ReadTripFiles",
                ReadTripFiles.of(
                    InputFormat.parse(options.getInputFormat()), ValidateTrips.Checker.of(TripRules.defaults(), zones)));
    SortedSet<String> reprocess = TripPipelineOptions.reprocessDates(options);
    if (!reprocess.isEmpty()) {
      checked = checked.apply("SelectReprocessedDates", SelectPickupDates.of(reprocess));
    }
    PCollection<String> touchedDates = null;
    PCollection<CheckedTrip> toDeduplicate = checked;
    if (readHistory) {
      // The processed trips of the dates this run's trips fall on, and only those: deduplicated together with the
      // new records, they give those dates' partitions as a full run over all raw files would. The reader counts them
      // in the stream (processed_before), so they have one consumer.
      String partitions = layout.processedTrips();
      touchedDates = checked.apply("SelectTouchedDates", SelectTouchedDates.of());
      PCollection<CheckedTrip> processedBefore =
          touchedDates
              .apply(
                  "ListTouchedPartitions",
                  MapElements.into(TypeDescriptors.strings())
                      .via(date -> partitions + "/pickup_date=" + date + "/*.parquet"))
              .apply("ReadProcessedTrips", ReadProcessedTrips.of());
      toDeduplicate =
          PCollectionList.of(checked).and(processedBefore).apply("CollectTripsOfTouchedDates", Flatten.pCollections());
    }
    PCollection<CheckedTrip> deduplicated = toDeduplicate.apply("DeduplicateTrips", steps.deduplicate());
    PCollectionTuple side = deduplicated.apply("SelectRejectedAndCounts", SelectRejectedAndCounts.of());
    PCollection<RejectedRecord> rejected = side.get(SelectRejectedAndCounts.REJECTED);
    // Each consumer selects the trips itself, so that the selection chains to it and every unique trip is serialized
    // once per consumer of the deduplicated stream, not once more per collection in between.
    PCollection<Trip> newTrips = deduplicated.apply("SelectTripsToWrite", SelectTrips.of());
    PCollection<Trip> tripsForZoneDays = deduplicated.apply("SelectTripsForZoneDays", SelectTrips.of());
    PCollection<Trip> tripsForUserDays = deduplicated.apply("SelectTripsForUserDays", SelectTrips.of());
    PCollection<Trip> tripsForAnomalies = deduplicated.apply("SelectTripsForAnomalies", SelectTrips.of());
    PCollection<EnrichedTrip> enriched = newTrips.apply("EnrichTrips", EnrichTrips.of(zones));
    PCollection<ZoneDaily> zoneDaily =
        tripsForZoneDays
            .apply("EnrichTripsForZoneDays", EnrichTrips.of(zones))
            .apply("AggregateZoneDaily", AggregateZoneDaily.of());
    PCollection<UserDaily> userDaily = tripsForUserDays.apply("AggregateUserDaily", AggregateUserDaily.of());
    PCollection<FareAnomaly> anomalies = tripsForAnomalies.apply("DetectFareAnomalies", DetectFareAnomalies.of());

    String staging = layout.staging(options.getRunId());
    WriteParquet<EnrichedTrip> processed =
        WriteParquet.to(staged.processedTrips(), staging + "/tmp/processed_trips", AvroRecords.processedTrips())
            .partitionedBy(PARTITION_COLUMN, EnrichedTrip::getPickupDate);
    WriteParquet<UserDaily> userDays =
        WriteParquet.to(staged.userDaily(), staging + "/tmp/user_daily", AvroRecords.userDaily())
            .partitionedBy(PARTITION_COLUMN, UserDaily::getPickupDate);
    if (writesFilesPerBundle(options)) {
      processed = processed.withFilesPerBundle(options.getOpenFilesPerTask());
      userDays = userDays.withFilesPerBundle(options.getOpenFilesPerTask());
    }
    enriched.apply("WriteProcessedTrips", processed);
    zoneDaily.apply(
        "WriteZoneDaily",
        WriteParquet.to(staged.zoneDaily(), staging + "/tmp/zone_daily", AvroRecords.zoneDaily())
            .partitionedBy(PARTITION_COLUMN, ZoneDaily::getPickupDate));
    userDaily.apply("WriteUserDaily", userDays);
    anomalies.apply(
        "WriteFareAnomalies",
        WriteParquet.to(staged.anomalies(), staging + "/tmp/anomalies", AvroRecords.anomalies())
            .partitionedBy(PARTITION_COLUMN, FareAnomaly::getPickupDate));
    rejected.apply(
        "WriteRejectedTrips",
        WriteParquet.to(staged.rejected(), staging + "/tmp/rejected", AvroRecords.rejected()));

    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(side.get(SelectRejectedAndCounts.COUNTS))
            .and(
                rejected.apply(
                    "CountRejectedByReason", CountRecords.by(r -> RunReport.REJECTED_PREFIX + r.getReason())));
    if (touchedDates != null) {
      counts =
          counts.and(touchedDates.apply("CountTouchedDates", CountRecords.by(d -> RunReport.TOUCHED_DATE_PREFIX + d)));
    }
    counts.apply("WriteRunCounts", WriteRunCounts.to(layout.counts(options.getRunId()), staging + "/tmp/counts"));
    return new Graph(checked, newTrips, enriched, zoneDaily, userDaily, anomalies, rejected);
  }

  /**
   * Whether the two full-volume zones (processed trips, user days) are written without a sharding shuffle, each
   * bundle writing its own files: on Flink, whose batch bundles are whole partitions. Spark keeps fixed shards (it lost
   * rows with runner-determined sharding, see {@code WriteParquet}), and so does the DirectRunner (its small bundles
   * would write many small files). The small zones keep fixed shards everywhere.
   */
  static boolean writesFilesPerBundle(PipelineOptions options) {
    return options.getRunner().getSimpleName().contains("Flink");
  }

  /**
   * The raw files that hold trips on the dates to reprocess, as the lake's manifests record them, each as it is now
   * (a replaced file has its new size and checksum).
   */
  private static List<Lake.RawFile> rawFilesHolding(Lake lake, Set<String> dates, String output) throws IOException {
    SortedMap<String, SortedSet<String>> holding = lake.rawFilesHolding(dates);
    if (holding.isEmpty()) {
      throw new UserError("no raw file the lake at " + output + " has processed holds a trip picked up on " + dates);
    }
    List<Lake.RawFile> files = new ArrayList<>();
    // Each file is found by listing its folder, as a prefix or glob --input lists it: on S3 a listing and a HEAD
    // request do not describe an object alike, and the manifest must key the file as the next incremental run will.
    Map<String, Map<String, MatchResult.Metadata>> folders = new HashMap<>();
    for (Map.Entry<String, SortedSet<String>> file : holding.entrySet()) {
      String path = file.getKey();
      String folder = path.substring(0, path.lastIndexOf('/'));
      Map<String, MatchResult.Metadata> listed = folders.get(folder);
      if (listed == null) {
        listed = new HashMap<>();
        for (MatchResult.Metadata m : LakeFiles.list(folder + "/*")) {
          listed.put(m.resourceId().toString(), m);
        }
        folders.put(folder, listed);
      }
      MatchResult.Metadata found = listed.get(path);
      if (found == null) {
        SortedSet<String> held = new TreeSet<>(file.getValue());
        held.retainAll(dates);
        throw new UserError(
            "the raw file " + path + " held trips on " + held + " and is gone: restore it, then reprocess");
      }
      files.add(Lake.RawFile.of(found));
    }
    return files;
  }

  /** The raw files of {@code --input}, and how many hidden or marker files its listings skipped. */
  private static final class Inputs {
    final List<MatchResult.Metadata> files = new ArrayList<>();
    int hidden;
  }

  /**
   * The raw files of {@code --input}: comma-separated paths or globs; a path that is not a file is a prefix (a
   * folder, an S3 prefix) and stands for every file under it. Globs and prefixes skip hidden and marker files (names
   * starting with '.' or '_': {@code _SUCCESS}, {@code .crc} files, {@code .complete}), as Spark and Hive do; a file
   * named on its own is always read.
   */
  private static Inputs resolveInputs(String input) throws IOException {
    Inputs inputs = new Inputs();
    for (String spec : input.split(",")) {
      spec = spec.trim();
      if (spec.isEmpty()) {
        continue;
      }
      List<MatchResult.Metadata> matched = LakeFiles.list(spec);
      boolean glob = spec.contains("*") || spec.contains("?") || spec.contains("[") || spec.contains("{");
      boolean single = !glob && matched.size() == 1;
      if (matched.isEmpty() && !glob) {
        String prefix = spec.endsWith("/") ? spec.substring(0, spec.length() - 1) : spec;
        matched = LakeFiles.list(prefix + "/**");
      }
      if (matched.isEmpty()) {
        throw new UserError("no input file matches " + spec);
      }
      int before = inputs.files.size();
      for (MatchResult.Metadata m : matched) {
        if (!single && isHiddenOrMarker(m.resourceId().getFilename())) {
          inputs.hidden++;
        } else {
          inputs.files.add(m);
        }
      }
      if (inputs.files.size() == before) {
        throw new UserError("no input file matches " + spec + " (only hidden or marker files)");
      }
    }
    inputs.files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return inputs;
  }

  static boolean isHiddenOrMarker(String fileName) {
    return fileName != null && (fileName.startsWith(".") || fileName.startsWith("_"));
  }

  /** What the run is about to do, for the console. */
  private static String startLine(
      TripPipelineOptions options, String mode, List<Lake.RawFile> files, int alreadyProcessed, int hidden) {
    Map<String, Integer> byFormat = new TreeMap<>();
    InputFormat format = InputFormat.parse(options.getInputFormat());
    for (Lake.RawFile f : files) {
      byFormat.merge(format.forFile(f.path()).name().toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    byFormat.forEach((k, v) -> parts.add(k + " " + v));
    return String.format(
        Locale.ROOT,
        "tripbeam run %s on %s (%s): %d input file(s)%s into %s%s%s",
        options.getRunId(),
        options.getRunner().getSimpleName(),
        mode.equals(Lake.REPROCESS)
            ? "reprocess " + String.join(",", TripPipelineOptions.reprocessDates(options))
            : mode.replace('_', ' '),
        files.size(),
        parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")",
        options.getOutput(),
        alreadyProcessed == 0 ? "" : "; " + alreadyProcessed + " already processed",
        hidden == 0 ? "" : "; skipped " + hidden + " hidden or marker file(s)");
  }

  /** The values of the count labels {@code <prefix><value>:<URL-encoded path>}, per path. */
  private static Map<String, SortedSet<String>> perFile(Map<String, Long> counts, String prefix) {
    Map<String, SortedSet<String>> values = new HashMap<>();
    for (String label : counts.keySet()) {
      if (label.startsWith(prefix)) {
        String rest = label.substring(prefix.length());
        int colon = rest.indexOf(':');
        values
            .computeIfAbsent(URLDecoder.decode(rest.substring(colon + 1), StandardCharsets.UTF_8), p -> new TreeSet<>())
            .add(rest.substring(0, colon));
      }
    }
    return values;
  }

  private static Map<String, Long> readCounts(String path) {
    Map<String, Long> counts = new HashMap<>();
    try {
      for (String line : LakeFiles.read(path).split("\n")) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          counts.merge(line.substring(0, tab), Long.parseLong(line.substring(tab + 1).trim()), Long::sum);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the run counts " + path, e);
    }
    return counts;
  }


}
