package dev.tripbeam.pipeline;

import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.io.InputFormat;
import dev.tripbeam.io.ReadTripEvents;
import dev.tripbeam.io.WatchTripFiles;
import dev.tripbeam.io.WritePaneFiles;
import dev.tripbeam.io.ZoneTable;
import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.FareAnomaly;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.UserDaily;
import dev.tripbeam.model.Zone;
import dev.tripbeam.model.ZoneDaily;
import dev.tripbeam.transforms.AggregateUserDaily;
import dev.tripbeam.transforms.AggregateZoneDaily;
import dev.tripbeam.transforms.DeduplicateTripStream;
import dev.tripbeam.transforms.DetectFareAnomalies;
import dev.tripbeam.transforms.EnrichTrips;
import dev.tripbeam.transforms.SelectRejectedAndCounts;
import dev.tripbeam.transforms.SelectTrips;
import dev.tripbeam.transforms.TripDays;
import dev.tripbeam.transforms.TripRules;
import dev.tripbeam.transforms.ValidateTrips;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.joda.time.Duration;

/**
 * The tripbeam streaming job: trips as they arrive in, the lake's zones out, in event time, exactly once.
 *
 * <p>Input: a Kafka topic of app-format JSON lines ({@link ReadTripEvents}) or the raw files that land under a watched
 * prefix ({@link WatchTripFiles}), and the zone table. The same steps as the
 * batch job check, deduplicate ({@link DeduplicateTripStream}, the stream's form of the batch copy rules), enrich
 * and aggregate. Outputs under {@code --output}, in the batch job's zones and schemas: per New York pickup day, once
 * the watermark has passed the day's end plus {@code --allowedLateness}, that day's {@code zone_daily}, {@code
 * user_daily} and {@code anomalies} files (replacing what the partition held); every {@code --paneInterval} a file
 * per pickup date of the processed trips that arrived, a file of the rejected records (with {@code late_trip} for
 * trips after their day closed) and {@code _streaming/counts/pane-*.tsv} with the counts of the pane (label, tab,
 * count: {@code read_rows}, {@code duplicates.*}, {@code rejected.<reason>}). Files appear only after the checkpoint
 * that covers them ({@link WritePaneFiles}). Options: {@link TripStreamingOptions}, the output and zone options, the
 * runner's; the command line adds the Flink checkpoint settings ({@link TripCommand}).
 */
public final class TripStreaming {
  /** Where the streaming job keeps its own files under the lake root. */
  static final String STREAMING_DIR = "_streaming";

  private TripStreaming() {}

  /** The collections of a built streaming graph, for tests and for later versions that add steps. */
  public static final class Graph {
    public final PCollection<CheckedTrip> checked;
    public final PCollection<EnrichedTrip> processed;
    public final PCollection<ZoneDaily> zoneDaily;
    public final PCollection<UserDaily> userDaily;
    public final PCollection<RejectedRecord> rejected;
    public final PCollection<KV<String, Long>> counts;

    Graph(
        PCollection<CheckedTrip> checked,
        PCollection<EnrichedTrip> processed,
        PCollection<ZoneDaily> zoneDaily,
        PCollection<UserDaily> userDaily,
        PCollection<RejectedRecord> rejected,
        PCollection<KV<String, Long>> counts) {
      this.checked = checked;
      this.processed = processed;
      this.zoneDaily = zoneDaily;
      this.userDaily = userDaily;
      this.rejected = rejected;
      this.counts = counts;
    }
  }

  /** A streaming pipeline with its graph applied, not yet run, and what it reads from. */
  public static final class Assembled {
    public final Pipeline pipeline;
    public final Graph graph;
    final String from;

    Assembled(Pipeline pipeline, Graph graph, String from) {
      this.pipeline = pipeline;
      this.graph = graph;
      this.from = from;
    }
  }

  /** Builds and starts the streaming job and waits for it to end (cancelled, stopped with a savepoint, failed). */
  static TripPipeline.Outcome run(TripPipelineOptions options, Consumer<String> phase) {
    return run(options, assemble(options), phase);
  }

  /**
   * Starts an assembled job (a later version may add steps to its graph first) and waits for it to end. Options as
   * {@link #assemble} had them.
   */
  public static TripPipeline.Outcome run(TripPipelineOptions options, Assembled job, Consumer<String> phase) {
    TripConsole.err()
        .println(
            String.format(
                Locale.ROOT,
                "tripbeam stream %s on %s: %s into %s; days close %s after their end, checkpoints every %s to %s",
                options.getRunId(),
                options.getRunner().getSimpleName(),
                job.from,
                options.getOutput(),
                options.getAllowedLateness(),
                options.getCheckpointInterval(),
                options.getCheckpointPath()));
    phase.accept("starting the engine");
    PipelineResult result = job.pipeline.run();
    PipelineResult.State state;
    try {
      state = result.waitUntilFinish();
    } catch (UnsupportedOperationException e) {
      state = null;
    }
    String summary =
        state == null
            ? String.format(Locale.ROOT, "tripbeam stream %s: submitted, running detached%n", options.getRunId())
            : String.format(Locale.ROOT, "tripbeam stream %s: ended in state %s%n", options.getRunId(), state);
    return new TripPipeline.Outcome(null, result, null, summary);
  }

  /** The streaming pipeline of validated options: the source they name (checked to exist) and {@link #build}. */
  public static Assembled assemble(TripPipelineOptions options) {
    List<Zone> zones;
    try {
      zones = ZoneTable.load(options.getZones());
    } catch (IOException e) {
      throw new TripPipeline.UserError("cannot load the zone table: " + e.getMessage());
    }
    ValidateTrips.Checker checker = ValidateTrips.Checker.of(TripRules.defaults(), zones);
    Duration outOfOrderness = StreamDurations.parse("maxOutOfOrderness", options.getMaxOutOfOrderness());
    Duration lateness = StreamDurations.parse("allowedLateness", options.getAllowedLateness());
    boolean files = options.getInput() != null && !options.getInput().isBlank();
    Pipeline pipeline = Pipeline.create(options);
    PCollection<CheckedTrip> source;
    String from;
    if (files) {
      source =
          pipeline.apply(
              "WatchTripFiles",
              WatchTripFiles.of(
                  options.getInput(),
                  InputFormat.parse(options.getInputFormat()),
                  checker,
                  StreamDurations.parse("pollInterval", options.getPollInterval()),
                  outOfOrderness,
                  lateness));
      from = "raw files landing under " + options.getInput();
    } else {
      checkTopic(options.getKafkaBootstrapServers(), options.getKafkaTopic());
      source =
          pipeline.apply(
              "ReadTripEvents",
              ReadTripEvents.of(
                  options.getKafkaBootstrapServers(),
                  options.getKafkaTopic(),
                  options.getKafkaConsumerGroup(),
                  checker,
                  outOfOrderness,
                  lateness));
      from = "Kafka topic " + options.getKafkaTopic() + " at " + options.getKafkaBootstrapServers();
    }
    return new Assembled(pipeline, build(source, options, zones), from);
  }

  /**
   * Refuses to start on a topic the brokers do not have (the job would restart forever looking for its partitions) or
   * brokers that do not answer within 30 s.
   */
  private static void checkTopic(String servers, String topic) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
      Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (!topics.contains(topic)) {
        throw new TripPipeline.UserError(
            "the Kafka brokers at " + servers + " have no topic " + topic + " (create it, or give --kafkaTopic)");
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new TripPipeline.UserError("cannot reach the Kafka brokers at " + servers + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TripPipeline.UserError("interrupted while asking the Kafka brokers at " + servers + " for " + topic);
    }
  }

  /**
   * Applies every step after the source to {@code checked} (event-time stamped {@link CheckedTrip}s in the global
   * window, as {@link ReadTripEvents} and {@link WatchTripFiles} give them): deduplication, the day windows and the pane writers.
   */
  public static Graph build(PCollection<CheckedTrip> checked, TripPipelineOptions options, List<Zone> zones) {
    Duration lateness = StreamDurations.parse("allowedLateness", options.getAllowedLateness());
    Duration paneInterval = StreamDurations.parse("paneInterval", options.getPaneInterval());
    OutputLayout layout = new OutputLayout(options.getOutput());
    String own = layout.root() + "/" + STREAMING_DIR;
    String temp = own + "/tmp";

    PCollection<CheckedTrip> deduplicated =
        checked.apply("DeduplicateTripStream", DeduplicateTripStream.retainingFor(lateness));
    PCollectionTuple side = deduplicated.apply("SelectRejectedAndCounts", SelectRejectedAndCounts.of());
    PCollection<Trip> dayTrips =
        deduplicated
            .apply("SelectTripsForDays", SelectTrips.of())
            .apply(
                "WindowPickupDays",
                Window.<Trip>into(TripDays.withLateness(lateness))
                    .triggering(AfterWatermark.pastEndOfWindow())
                    .withAllowedLateness(Duration.ZERO)
                    .discardingFiredPanes());
    PCollection<ZoneDaily> zoneDaily =
        dayTrips
            .apply("EnrichTripsForZoneDays", EnrichTrips.of(zones))
            .apply("AggregateZoneDaily", AggregateZoneDaily.of());
    PCollection<UserDaily> userDaily = dayTrips.apply("AggregateUserDaily", AggregateUserDaily.of());
    PCollection<FareAnomaly> anomalies = dayTrips.apply("DetectFareAnomalies", DetectFareAnomalies.of());
    PCollection<EnrichedTrip> enriched =
        deduplicated
            .apply("SelectTripsToWrite", SelectTrips.of())
            .apply("EnrichTrips", EnrichTrips.of(zones))
            .apply("WindowProcessedTripPanes", panes(paneInterval));
    PCollection<RejectedRecord> rejected =
        side.get(SelectRejectedAndCounts.REJECTED).apply("WindowRejectedPanes", panes(paneInterval));

    String column = TripPipeline.PARTITION_COLUMN;
    enriched.apply(
        "WriteProcessedTrips",
        WritePaneFiles.parquet(layout.processedTrips(), temp, AvroRecords.processedTrips())
            .partitionedBy(column, EnrichedTrip::getPickupDate));
    zoneDaily.apply(
        "WriteZoneDaily",
        WritePaneFiles.parquet(layout.zoneDaily(), temp, AvroRecords.zoneDaily())
            .partitionedBy(column, ZoneDaily::getPickupDate)
            .replacingEarlierPanes());
    userDaily.apply(
        "WriteUserDaily",
        WritePaneFiles.parquet(layout.userDaily(), temp, AvroRecords.userDaily())
            .partitionedBy(column, UserDaily::getPickupDate)
            .replacingEarlierPanes());
    anomalies.apply(
        "WriteFareAnomalies",
        WritePaneFiles.parquet(layout.anomalies(), temp, AvroRecords.anomalies())
            .partitionedBy(column, FareAnomaly::getPickupDate)
            .replacingEarlierPanes());
    rejected.apply("WriteRejectedTrips", WritePaneFiles.parquet(layout.rejected(), temp, AvroRecords.rejected()));

    PCollection<KV<String, Long>> rejectedByReason =
        side.get(SelectRejectedAndCounts.REJECTED)
            .apply(
                "LabelRejectedByReason",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via((RejectedRecord r) -> KV.of(RunReport.REJECTED_PREFIX + r.getReason(), 1L)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    PCollection<KV<String, Long>> counts =
        PCollectionList.of(side.get(SelectRejectedAndCounts.COUNTS))
            .and(rejectedByReason)
            .apply("CollectCounts", Flatten.pCollections())
            .apply("WindowCountPanes", panes(paneInterval))
            .apply("SumCountsPerPane", Sum.longsPerKey());
    counts
        .apply(
            "FormatCounts",
            MapElements.into(TypeDescriptors.strings()).via((KV<String, Long> kv) -> kv.getKey() + "\t" + kv.getValue()))
        .apply("WriteStreamCounts", WritePaneFiles.text(own + "/counts", temp, "tsv"));
    return new Graph(checked, enriched, zoneDaily, userDaily, rejected, counts);
  }

  /** The global window, fired {@code every} after a pane's first element arrived, each element in one pane. */
  private static <T> Window<T> panes(Duration every) {
    return Window.<T>into(new GlobalWindows())
        .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(every)))
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }
}
