package dev.tripbeam.pipeline;

import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.io.EmptyZone;
import dev.tripbeam.io.InputFormat;
import dev.tripbeam.io.ReadProcessedTrips;
import dev.tripbeam.io.ReadTripFiles;
import dev.tripbeam.io.WriteParquet;
import dev.tripbeam.io.WriteRunCounts;
import dev.tripbeam.io.ZoneTable;
import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.FareAnomaly;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.UserDaily;
import dev.tripbeam.model.Zone;
import dev.tripbeam.model.ZoneDaily;
import dev.tripbeam.transforms.AggregateUserDaily;
import dev.tripbeam.transforms.AggregateZoneDaily;
import dev.tripbeam.transforms.CountRecords;
import dev.tripbeam.transforms.DeduplicateTrips;
import dev.tripbeam.transforms.DetectFareAnomalies;
import dev.tripbeam.transforms.DropSeenTrips;
import dev.tripbeam.transforms.EnrichTrips;
import dev.tripbeam.transforms.TripRules;
import dev.tripbeam.transforms.ValidateTrips;
import java.io.IOException;
import java.util.Comparator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The tripbeam batch job: raw trip files in, curated zones and a run report out.
 *
 * <p>Inputs: {@code --input} files (TLC yellow/green CSV, CSV.gz, Parquet) and the zone table. Outputs under
 * {@code --output}: {@code processed/trips/pickup_date=D/} (valid unique enriched trips),
 * {@code aggregated/zone_daily/}, {@code rejected/} (every rejected record with reason and raw input) and
 * {@code _reports/run-<runId>.json}. Options: {@link TripPipelineOptions} plus the runner's own. The runner
 * defaults to the one named by the system property {@value #DEFAULT_RUNNER_PROPERTY} (set by the Maven profile).
 */
public final class TripPipeline {
  static final String DEFAULT_RUNNER_PROPERTY = "tripbeam.defaultRunner";
  private static final String SPARK_PARALLELISM = "spark.default.parallelism";
  private static final String AUTO_SPARK_PARALLELISM = "tripbeam.autoSparkParallelism";

  private TripPipeline() {}

  /** The collections of a built graph, for tests that assert on the real graph. */
  public static final class Graph {
    public final PCollection<RawTrip> raw;
    public final PCollection<Trip> valid;
    public final PCollection<Trip> unique;
    public final PCollection<EnrichedTrip> enriched;
    public final PCollection<ZoneDaily> zoneDaily;
    public final PCollection<UserDaily> userDaily;
    public final PCollection<FareAnomaly> anomalies;
    public final PCollection<RejectedRecord> rejected;

    Graph(
        PCollection<RawTrip> raw,
        PCollection<Trip> valid,
        PCollection<Trip> unique,
        PCollection<EnrichedTrip> enriched,
        PCollection<ZoneDaily> zoneDaily,
        PCollection<UserDaily> userDaily,
        PCollection<FareAnomaly> anomalies,
        PCollection<RejectedRecord> rejected) {
      this.raw = raw;
      this.valid = valid;
      this.unique = unique;
      this.enriched = enriched;
      this.zoneDaily = zoneDaily;
      this.userDaily = userDaily;
      this.anomalies = anomalies;
      this.rejected = rejected;
    }
  }

  /** What a finished run returns; report, result and path are null when an incremental run found nothing new. */
  public static final class Outcome {
    public final @Nullable RunReport report;
    public final @Nullable PipelineResult result;
    public final @Nullable String reportPath;
    public final String summary;

    Outcome(
        @Nullable RunReport report, @Nullable PipelineResult result, @Nullable String reportPath, String summary) {
      this.report = report;
      this.result = result;
      this.reportPath = reportPath;
      this.summary = summary;
    }
  }

  /** A problem the user can fix; printed without a stack trace. */
  public static final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the process exit code (0 ok, 1 run failed, 2 bad options). */
  static int execute(String[] args) {
    PipelineOptionsFactory.register(TripPipelineOptions.class);
    TripPipelineOptions options;
    try {
      options =
          PipelineOptionsFactory.fromArgs(commandLine(args)).withValidation().as(TripPipelineOptions.class);
      TripPipelineOptions.validate(options);
    } catch (IllegalArgumentException e) {
      System.err.println("tripbeam: " + e.getMessage());
      System.err.println("tripbeam: see --help for the options");
      return 2;
    }
    try {
      Outcome outcome = run(options);
      System.out.print(outcome.summary);
      return outcome.report == null || outcome.report.reconciled() ? 0 : 1;
    } catch (UserError e) {
      System.err.println("tripbeam: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      System.err.println("tripbeam: the run failed: " + rootCause(e));
      if (Boolean.getBoolean("tripbeam.debug")) {
        e.printStackTrace();
      } else {
        System.err.println("tripbeam: rerun with -Dtripbeam.debug=true for the stack trace");
      }
      return 1;
    }
  }

  /** Adds the profile's default runner unless --runner is given; narrows a bare --help to tripbeam's options. */
  static String[] commandLine(String[] args) {
    List<String> out = new ArrayList<>();
    boolean hasRunner = false;
    for (String arg : args) {
      if (arg.equals("--help")) {
        out.add("--help=" + TripPipelineOptions.class.getName());
        continue;
      }
      hasRunner |= arg.startsWith("--runner=") || arg.equals("--runner");
      out.add(arg);
    }
    String runner = System.getProperty(DEFAULT_RUNNER_PROPERTY);
    if (!hasRunner && runner != null && !runner.isBlank()) {
      out.add("--runner=" + runner);
    }
    boolean flink =
        out.stream().anyMatch(a -> a.equals("--runner=FlinkRunner") || a.endsWith(".FlinkRunner"));
    if (flink && out.stream().noneMatch(a -> a.startsWith("--objectReuse"))) {
      // Every element tripbeam passes is immutable, so Flink may hand objects between chained operators without a
      // copy (a serialize/deserialize round trip per operator otherwise): 82.6 s -> 67.7 s on 1M generated trips.
      out.add("--objectReuse=true");
    }
    boolean spark =
        out.stream().anyMatch(a -> a.equals("--runner=SparkRunner") || a.endsWith(".SparkRunner"));
    if (spark && out.stream().noneMatch(a -> a.startsWith("--storageLevel"))) {
      // Beam's Spark runner caches every multi-consumer RDD MEMORY_ONLY by default: out of heap at 5M trips.
      out.add("--storageLevel=MEMORY_AND_DISK_SER");
    }
    if (spark && System.getProperty(SPARK_PARALLELISM) == null) {
      // SparkConf reads spark.* system properties. With local[N]'s default of N partitions, one partition held a
      // whole input file's trips and its cached block no longer fit the heap; run() sizes it to the input instead.
      System.setProperty(AUTO_SPARK_PARALLELISM, "true");
    }
    return out.toArray(new String[0]);
  }

  /**
   * Validates, builds and runs the job, waits for it, and publishes its outputs and report into the lake. An
   * incremental run with no new raw file changes nothing and returns an outcome without a report.
   */
  public static Outcome run(TripPipelineOptions options) {
    TripPipelineOptions.validate(options);
    FileSystems.setDefaultPipelineOptions(options);
    OutputLayout layout = new OutputLayout(options.getOutput());
    Lake lake = new Lake(layout);
    String runId = options.getRunId();
    boolean incremental = options.getIncremental();
    List<Lake.RawFile> rawFiles = new ArrayList<>();
    int skipped = 0;
    boolean readHistory;
    try {
      for (String recovered : lake.recover()) {
        System.err.println("tripbeam: completed the publication of run " + recovered + ", which had stopped part way");
      }
      Set<String> committed = incremental ? lake.committedRawFiles() : Set.of();
      for (MatchResult.Metadata file : resolveInputs(options.getInput())) {
        Lake.RawFile raw = Lake.RawFile.of(file);
        if (committed.contains(raw.key())) {
          skipped++;
        } else {
          rawFiles.add(raw);
        }
      }
      readHistory = incremental && lake.hasCommittedRuns();
    } catch (IOException e) {
      throw new UserError("cannot read the lake at " + options.getOutput() + ": " + e.getMessage());
    }
    if (rawFiles.isEmpty()) {
      return new Outcome(
          null,
          null,
          null,
          String.format(
              Locale.ROOT,
              "tripbeam run %s: no new raw file under %s (%d already processed); the lake is unchanged%n",
              runId,
              options.getInput(),
              skipped));
    }
    List<Zone> zones;
    try {
      zones = ZoneTable.load(options.getZones());
    } catch (IOException e) {
      throw new UserError("cannot load the zone table: " + e.getMessage());
    }

    if (Boolean.getBoolean(AUTO_SPARK_PARALLELISM)) {
      // At least two partitions per raw file: with 16 partitions for 60 files (30M trips), cached blocks of ~1 GB
      // ran a 6 GiB heap out of memory when read back.
      System.setProperty(SPARK_PARALLELISM, Integer.toString(Math.max(16, 2 * rawFiles.size())));
    }
    Pipeline pipeline = Pipeline.create(options);
    List<String> paths = new ArrayList<>();
    rawFiles.forEach(f -> paths.add(f.path()));
    build(pipeline, options, paths, zones, readHistory);
    Instant start = Instant.now();
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    Instant end = Instant.now();
    if (state != PipelineResult.State.DONE) {
      throw new UserError("the pipeline ended in state " + state);
    }
    OutputLayout staged = layout.staged(runId);
    try {
      EmptyZone.ensureReadable(staged.zoneDaily(), AvroRecords.zoneDaily());
      EmptyZone.ensureReadable(staged.userDaily(), AvroRecords.userDaily());
      EmptyZone.ensureReadable(staged.anomalies(), AvroRecords.anomalies());
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
    RunReport report =
        new RunReport(
            runId,
            options.getRunner().getSimpleName(),
            incremental ? Lake.INCREMENTAL : Lake.FULL_REFRESH,
            inputInfo,
            skipped,
            start,
            end,
            readCounts(layout.counts(runId)),
            layout.zones());
    String reportPath = layout.report(runId);
    try {
      lake.publish(lake.plan(runId, incremental, rawFiles, report.toJson()));
    } catch (IOException e) {
      throw new UserError(
          "publishing run " + runId + " failed: " + e.getMessage() + "; the next run completes it");
    }
    return new Outcome(report, result, reportPath, report.summary(reportPath));
  }

  /**
   * Applies the whole job to {@code pipeline}; {@code inputFiles} are resolved paths, {@code zones} the table. Every
   * output goes to the run's staging area. With {@code readHistory} the trips of the processed zone are read back:
   * trips seen there count as duplicates, and the aggregates are computed over them and the new trips together.
   */
  public static Graph build(
      Pipeline pipeline,
      TripPipelineOptions options,
      List<String> inputFiles,
      List<Zone> zones,
      boolean readHistory) {
    OutputLayout layout = new OutputLayout(options.getOutput());
    OutputLayout staged = layout.staged(options.getRunId());
    List<KV<Integer, Zone>> zoneEntries = new ArrayList<>();
    zones.forEach(z -> zoneEntries.add(KV.of(z.getLocationId(), z)));
    PCollectionView<Map<Integer, Zone>> zoneTable;
    try {
      zoneTable =
          pipeline
              .apply(
                  "CreateZoneTable",
                  Create.of(zoneEntries)
                      .withCoder(
                          KvCoder.of(
                              VarIntCoder.of(), pipeline.getSchemaRegistry().getSchemaCoder(Zone.class))))
              .apply("ViewZoneTable", View.asMap());
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }

    PCollectionTuple read =
        pipeline
            .apply("ListInputFiles", Create.of(inputFiles).withCoder(StringUtf8Coder.of()))
            .apply("ReadTripFiles", ReadTripFiles.of(InputFormat.parse(options.getInputFormat())));
    PCollection<RawTrip> raw = read.get(ReadTripFiles.RAW);
    PCollectionTuple checked = raw.apply("ValidateTrips", ValidateTrips.of(TripRules.defaults(), zoneTable));
    PCollection<Trip> valid = checked.get(ValidateTrips.VALID);
    PCollection<RejectedRecord> rejected =
        PCollectionList.of(read.get(ReadTripFiles.UNREADABLE))
            .and(checked.get(ValidateTrips.REJECTED))
            .apply("CollectRejectedTrips", Flatten.pCollections());
    PCollection<Trip> unique = valid.apply("DeduplicateTrips", DeduplicateTrips.of());
    PCollection<Trip> allTrips = unique;
    PCollection<Trip> history = null;
    if (readHistory) {
      history =
          pipeline
              .apply(
                  "ListProcessedFiles",
                  Create.of(layout.processedTrips() + "/**/*.parquet").withCoder(StringUtf8Coder.of()))
              .apply("ReadProcessedTrips", ReadProcessedTrips.of());
      unique = unique.apply("DropSeenTrips", DropSeenTrips.seenIn(history));
      allTrips = PCollectionList.of(history).and(unique).apply("CollectAllTrips", Flatten.pCollections());
    }
    PCollection<EnrichedTrip> enriched = unique.apply("EnrichTrips", EnrichTrips.of(zoneTable));
    PCollection<EnrichedTrip> enrichedAll =
        readHistory ? allTrips.apply("EnrichAllTrips", EnrichTrips.of(zoneTable)) : enriched;
    PCollection<ZoneDaily> zoneDaily = enrichedAll.apply("AggregateZoneDaily", AggregateZoneDaily.of());
    PCollection<UserDaily> userDaily = allTrips.apply("AggregateUserDaily", AggregateUserDaily.of());
    PCollection<FareAnomaly> anomalies = allTrips.apply("DetectFareAnomalies", DetectFareAnomalies.of());

    String staging = layout.staging(options.getRunId());
    enriched.apply(
        "WriteProcessedTrips",
        WriteParquet.to(staged.processedTrips(), staging + "/tmp/processed_trips", AvroRecords.processedTrips())
            .partitionedBy("pickup_date", EnrichedTrip::getPickupDate));
    zoneDaily.apply(
        "WriteZoneDaily",
        WriteParquet.to(staged.zoneDaily(), staging + "/tmp/zone_daily", AvroRecords.zoneDaily()));
    userDaily.apply(
        "WriteUserDaily",
        WriteParquet.to(staged.userDaily(), staging + "/tmp/user_daily", AvroRecords.userDaily()));
    anomalies.apply(
        "WriteFareAnomalies",
        WriteParquet.to(staged.anomalies(), staging + "/tmp/anomalies", AvroRecords.anomalies()));
    rejected.apply(
        "WriteRejectedTrips",
        WriteParquet.to(staged.rejected(), staging + "/tmp/rejected", AvroRecords.rejected()));

    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(raw.apply("CountReadRows", CountRecords.as(RunReport.READ_ROWS)))
            .and(valid.apply("CountValidatedTrips", CountRecords.as(RunReport.VALIDATED)))
            .and(unique.apply("CountUniqueTrips", CountRecords.as(RunReport.UNIQUE)))
            .and(
                rejected.apply(
                    "CountRejectedByReason", CountRecords.by(r -> RunReport.REJECTED_PREFIX + r.getReason())))
            .and(
                enriched.apply(
                    "CountProcessedTripRows",
                    CountRecords.as(RunReport.ROWS_PREFIX + OutputLayout.PROCESSED_TRIPS)))
            .and(
                zoneDaily.apply(
                    "CountZoneDailyRows", CountRecords.as(RunReport.ROWS_PREFIX + OutputLayout.ZONE_DAILY)))
            .and(
                userDaily.apply(
                    "CountUserDailyRows", CountRecords.as(RunReport.ROWS_PREFIX + OutputLayout.USER_DAILY)))
            .and(
                anomalies.apply(
                    "CountAnomalyRows", CountRecords.as(RunReport.ROWS_PREFIX + OutputLayout.ANOMALIES)))
            .and(
                rejected.apply(
                    "CountRejectedRows", CountRecords.as(RunReport.ROWS_PREFIX + OutputLayout.REJECTED)));
    if (history != null) {
      counts = counts.and(history.apply("CountProcessedBefore", CountRecords.as(RunReport.PROCESSED_BEFORE)));
    }
    counts.apply("WriteRunCounts", WriteRunCounts.to(layout.counts(options.getRunId()), staging + "/tmp/counts"));
    return new Graph(raw, valid, unique, enriched, zoneDaily, userDaily, anomalies, rejected);
  }

  /**
   * The raw files of {@code --input}: comma-separated paths or globs; a path that is not a file is a prefix (a
   * folder, an S3 prefix) and stands for every file under it.
   */
  private static List<MatchResult.Metadata> resolveInputs(String input) throws IOException {
    List<MatchResult.Metadata> files = new ArrayList<>();
    for (String spec : input.split(",")) {
      spec = spec.trim();
      if (spec.isEmpty()) {
        continue;
      }
      List<MatchResult.Metadata> matched = LakeFiles.list(spec);
      boolean glob = spec.contains("*") || spec.contains("?") || spec.contains("[") || spec.contains("{");
      if (matched.isEmpty() && !glob) {
        String prefix = spec.endsWith("/") ? spec.substring(0, spec.length() - 1) : spec;
        matched = LakeFiles.list(prefix + "/**");
      }
      if (matched.isEmpty()) {
        throw new UserError("no input file matches " + spec);
      }
      files.addAll(matched);
    }
    files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return files;
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

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
