package dev.tripbeam.pipeline;

import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.io.EmptyZone;
import dev.tripbeam.io.InputFormat;
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
import dev.tripbeam.transforms.EnrichTrips;
import dev.tripbeam.transforms.TripRules;
import dev.tripbeam.transforms.ValidateTrips;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
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

  /** What a finished run returns. */
  public static final class Outcome {
    public final RunReport report;
    public final PipelineResult result;
    public final String reportPath;

    Outcome(RunReport report, PipelineResult result, String reportPath) {
      this.report = report;
      this.result = result;
      this.reportPath = reportPath;
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
      System.out.print(outcome.report.summary(outcome.reportPath));
      return outcome.report.reconciled() ? 0 : 1;
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
    if (spark && System.getProperty("spark.default.parallelism") == null) {
      // SparkConf reads spark.* system properties. With local[N]'s default of N partitions, one partition held a
      // whole input file's trips and its cached block no longer fit the heap; smaller partitions do.
      System.setProperty("spark.default.parallelism", "16");
    }
    return out.toArray(new String[0]);
  }

  /** Validates, builds and runs the job, waits for it, and writes the run report. */
  public static Outcome run(TripPipelineOptions options) {
    TripPipelineOptions.validate(options);
    FileSystems.setDefaultPipelineOptions(options);
    List<MatchResult.Metadata> inputs = resolveInputs(options.getInput());
    OutputLayout layout = new OutputLayout(options.getOutput());
    prepareOutput(layout, options.getOverwrite());
    List<Zone> zones;
    try {
      zones = ZoneTable.load(options.getZones());
    } catch (IOException e) {
      throw new UserError("cannot load the zone table: " + e.getMessage());
    }

    Pipeline pipeline = Pipeline.create(options);
    List<String> paths = new ArrayList<>();
    inputs.forEach(m -> paths.add(m.resourceId().toString()));
    build(pipeline, options, paths, zones);
    Instant start = Instant.now();
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    Instant end = Instant.now();
    if (state != PipelineResult.State.DONE) {
      throw new UserError("the pipeline ended in state " + state);
    }
    try {
      EmptyZone.ensureReadable(layout.zoneDaily(), AvroRecords.zoneDaily());
      EmptyZone.ensureReadable(layout.userDaily(), AvroRecords.userDaily());
      EmptyZone.ensureReadable(layout.anomalies(), AvroRecords.anomalies());
      EmptyZone.ensureReadable(layout.rejected(), AvroRecords.rejected());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write an empty zone file", e);
    }

    List<Map<String, Object>> inputInfo = new ArrayList<>();
    for (MatchResult.Metadata m : inputs) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("path", m.resourceId().toString());
      i.put("bytes", m.sizeBytes());
      inputInfo.add(i);
    }
    RunReport report =
        new RunReport(
            options.getRunId(),
            options.getRunner().getSimpleName(),
            inputInfo,
            start,
            end,
            readCounts(layout.counts(options.getRunId())),
            layout.zones());
    String reportPath = layout.report(options.getRunId());
    writeText(reportPath, report.toJson());
    removeStaging(layout.staging(options.getRunId()));
    return new Outcome(report, result, reportPath);
  }

  /** Applies the whole job to {@code pipeline}; {@code inputFiles} are resolved paths, {@code zones} the table. */
  public static Graph build(
      Pipeline pipeline, TripPipelineOptions options, List<String> inputFiles, List<Zone> zones) {
    OutputLayout layout = new OutputLayout(options.getOutput());
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
    PCollection<EnrichedTrip> enriched = unique.apply("EnrichTrips", EnrichTrips.of(zoneTable));
    PCollection<ZoneDaily> zoneDaily = enriched.apply("AggregateZoneDaily", AggregateZoneDaily.of());
    PCollection<UserDaily> userDaily = unique.apply("AggregateUserDaily", AggregateUserDaily.of());
    PCollection<FareAnomaly> anomalies = unique.apply("DetectFareAnomalies", DetectFareAnomalies.of());

    String staging = layout.staging(options.getRunId());
    enriched.apply(
        "WriteProcessedTrips",
        WriteParquet.to(layout.processedTrips(), staging + "/processed_trips", AvroRecords.processedTrips())
            .partitionedBy("pickup_date", EnrichedTrip::getPickupDate));
    zoneDaily.apply(
        "WriteZoneDaily", WriteParquet.to(layout.zoneDaily(), staging + "/zone_daily", AvroRecords.zoneDaily()));
    userDaily.apply(
        "WriteUserDaily", WriteParquet.to(layout.userDaily(), staging + "/user_daily", AvroRecords.userDaily()));
    anomalies.apply(
        "WriteFareAnomalies",
        WriteParquet.to(layout.anomalies(), staging + "/anomalies", AvroRecords.anomalies()));
    rejected.apply(
        "WriteRejectedTrips", WriteParquet.to(layout.rejected(), staging + "/rejected", AvroRecords.rejected()));

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
                "CountRejectedRows", CountRecords.as(RunReport.ROWS_PREFIX + OutputLayout.REJECTED)))
        .apply("WriteRunCounts", WriteRunCounts.to(layout.counts(options.getRunId()), staging + "/counts"));
    return new Graph(raw, valid, unique, enriched, zoneDaily, userDaily, anomalies, rejected);
  }

  private static List<MatchResult.Metadata> resolveInputs(String input) {
    List<String> globs = Arrays.stream(input.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    List<MatchResult.Metadata> files = new ArrayList<>();
    try {
      List<MatchResult> matches = FileSystems.match(globs, EmptyMatchTreatment.ALLOW);
      for (int i = 0; i < globs.size(); i++) {
        MatchResult match = matches.get(i);
        if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
          throw new UserError("no input file matches " + globs.get(i));
        }
        for (MatchResult.Metadata m : match.metadata()) {
          if (!m.resourceId().isDirectory()) {
            files.add(m);
          }
        }
      }
    } catch (IOException e) {
      throw new UserError("cannot list --input " + input + ": " + e.getMessage());
    }
    files.sort((a, b) -> a.resourceId().toString().compareTo(b.resourceId().toString()));
    return files;
  }

  private static void prepareOutput(OutputLayout layout, boolean overwrite) {
    try {
      long existing = 0;
      for (String zone : layout.zones().values()) {
        MatchResult match = FileSystems.match(zone + "/**", EmptyMatchTreatment.ALLOW);
        existing += match.status() == MatchResult.Status.OK ? match.metadata().size() : 0;
      }
      if (existing == 0) {
        return;
      }
      if (!overwrite) {
        throw new UserError(
            "the output already holds " + existing + " file(s) under processed/, aggregated/ or rejected/; "
                + "choose an empty --output or pass --overwrite=true to replace them");
      }
      for (String zone : layout.zones().values()) {
        deleteTree(zone);
      }
    } catch (IOException e) {
      throw new UserError("cannot prepare --output: " + e.getMessage());
    }
  }

  /** Deletes what is left of a run's staging area (Beam removes the files; local empty directories remain). */
  private static void removeStaging(String staging) {
    try {
      deleteTree(staging);
      Path parent = Path.of(staging).getParent();
      if (!staging.contains("://") && parent != null && Files.isDirectory(parent)) {
        try (Stream<Path> rest = Files.list(parent)) {
          if (rest.findAny().isEmpty()) {
            Files.delete(parent);
          }
        }
      }
    } catch (IOException e) {
      System.err.println("tripbeam: could not clean the staging area " + staging + ": " + e.getMessage());
    }
  }

  /** Deletes every file under {@code dir} on any file system, and on the local one the directories too. */
  private static void deleteTree(String dir) throws IOException {
    MatchResult match = FileSystems.match(dir + "/**", EmptyMatchTreatment.ALLOW);
    List<ResourceId> files = new ArrayList<>();
    if (match.status() == MatchResult.Status.OK) {
      match.metadata().forEach(m -> files.add(m.resourceId()));
    }
    FileSystems.delete(files);
    if (!dir.contains("://") && Files.isDirectory(Path.of(dir))) {
      try (Stream<Path> tree = Files.walk(Path.of(dir))) {
        for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static Map<String, Long> readCounts(String path) {
    Map<String, Long> counts = new HashMap<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId())),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        int tab = line.indexOf('\t');
        counts.merge(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)), Long::sum);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the run counts " + path, e);
    }
    return counts;
  }

  private static void writeText(String path, String text) {
    ResourceId target = FileSystems.matchNewResource(path, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(target, "application/json"))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + path, e);
    }
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
