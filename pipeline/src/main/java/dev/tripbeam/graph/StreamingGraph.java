package dev.tripbeam.graph;

import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.io.InputFormat;
import dev.tripbeam.io.ReadTripEvents;
import dev.tripbeam.io.WatchTripFiles;
import dev.tripbeam.io.WritePaneFiles;
import dev.tripbeam.lake.CommitPaneFiles;
import dev.tripbeam.lake.LakeAddress;
import dev.tripbeam.lake.LakeLayout;
import dev.tripbeam.lake.LakeZone;
import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.FareAnomaly;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.UserDaily;
import dev.tripbeam.model.Zone;
import dev.tripbeam.model.ZoneDaily;
import dev.tripbeam.options.RunRequest;
import dev.tripbeam.options.StreamDurations;
import dev.tripbeam.options.TripPipelineOptions;
import dev.tripbeam.report.CountLabels;
import dev.tripbeam.serving.UpsertServingRows;
import dev.tripbeam.transforms.AggregateUserDailyStream;
import dev.tripbeam.transforms.AggregateZoneDaily;
import dev.tripbeam.transforms.DeduplicateTripStream;
import dev.tripbeam.transforms.DetectFareAnomalies;
import dev.tripbeam.transforms.EnrichTrips;
import dev.tripbeam.transforms.SelectClosedDays;
import dev.tripbeam.transforms.SelectRejectedAndCounts;
import dev.tripbeam.transforms.SelectTrips;
import dev.tripbeam.transforms.TripDays;
import dev.tripbeam.transforms.TripRules;
import dev.tripbeam.transforms.ValidateTrips;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
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
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The graph of the streaming job: trips as they arrive in, the lake's zones out, in event time, exactly once.
 *
 * <p>Input: a Kafka topic of app-format JSON lines ({@link ReadTripEvents}) or the raw files that land under a watched
 * prefix ({@link WatchTripFiles}), and the zone table. The same steps as the batch job check, deduplicate ({@link
 * DeduplicateTripStream}, the stream's form of the batch copy rules), enrich and aggregate. Outputs: the lake's zone
 * tables, in the batch job's schemas, committed every {@code --commitInterval} ({@link CommitPaneFiles}): per New York
 * pickup day, once the watermark has passed the day's end plus {@code --allowedLateness}, that day's {@code
 * zone_daily}, {@code user_daily} and {@code anomalies} (replacing the day's partition); every {@code --paneInterval}
 * a file per pickup date of the processed trips that arrived and a file of the rejected records (with {@code
 * late_trip} for trips after their day closed), appended; and {@code _streaming/counts/pane-*.tsv} with the counts of
 * the pane (label, tab, count: {@code read_rows}, {@code duplicates.*}, {@code rejected.<reason>}). Files are written
 * only after the checkpoint that covers them ({@link WritePaneFiles}). Options: {@link
 * dev.tripbeam.options.TripStreamingOptions}, the output, catalog and zone options. Builds
 * only: {@code dev.tripbeam.run.StreamingRun} checks the source and runs it.
 */
public final class StreamingGraph {
  private static final String PARTITION_COLUMN = LakeZone.PARTITION_COLUMN;

  private StreamingGraph() {}

  /** The collections of a built streaming graph, for tests and for later versions that add steps. */
  public record Graph(
      PCollection<CheckedTrip> checked,
      PCollection<EnrichedTrip> processed,
      PCollection<ZoneDaily> zoneDaily,
      PCollection<UserDaily> userDaily,
      PCollection<RejectedRecord> rejected,
      PCollection<KV<String, Long>> counts) {}

  /** The source the options name, its trips checked: the raw files landing under {@code --input}, else Kafka. */
  public static PCollection<CheckedTrip> source(Pipeline pipeline, RunRequest request, List<Zone> zones) {
    TripPipelineOptions options = request.options();
    ValidateTrips.Checker checker = ValidateTrips.Checker.of(TripRules.defaults(), zones);
    Duration outOfOrderness = StreamDurations.parse("maxOutOfOrderness", options.getMaxOutOfOrderness());
    Duration lateness = StreamDurations.parse("allowedLateness", options.getAllowedLateness());
    if (readsFiles(request)) {
      return pipeline.apply(
          "WatchTripFiles",
          WatchTripFiles.of(
              options.getInput(),
              InputFormat.parse(options.getInputFormat()),
              checker,
              StreamDurations.parse("pollInterval", options.getPollInterval()),
              outOfOrderness,
              lateness));
    }
    return pipeline.apply(
        "ReadTripEvents",
        ReadTripEvents.of(
            options.getKafkaBootstrapServers(),
            options.getKafkaTopic(),
            options.getKafkaConsumerGroup(),
            checker,
            outOfOrderness,
            lateness));
  }

  /** Whether the job watches raw files ({@code --input}) rather than a Kafka topic. */
  public static boolean readsFiles(RunRequest request) {
    String input = request.options().getInput();
    return input != null && !input.isBlank();
  }

  /**
   * Applies every step after the source to {@code checked} (event-time stamped {@link CheckedTrip}s in the global
   * window, as {@link ReadTripEvents} and {@link WatchTripFiles} give them): deduplication, the day windows and the pane
   * writers.
   */
  public static Graph build(PCollection<CheckedTrip> checked, RunRequest request, List<Zone> zones) {
    TripPipelineOptions options = request.options();
    Duration lateness = StreamDurations.parse("allowedLateness", options.getAllowedLateness());
    Duration paneInterval = StreamDurations.parse("paneInterval", options.getPaneInterval());
    PCollection<CheckedTrip> deduplicated =
        checked.apply("DeduplicateTripStream", DeduplicateTripStream.retainingFor(lateness));
    PCollectionTuple side = deduplicated.apply("SelectRejectedAndCounts", SelectRejectedAndCounts.of());
    PCollection<Trip> trips = deduplicated.apply("SelectTripsForDays", SelectTrips.of());
    PCollection<Trip> runningDays = trips.apply("WindowRunningPickupDays", TripDays.running(lateness, paneInterval));
    PCollection<ZoneDaily> zoneDaily =
        runningDays
            .apply("EnrichTripsForZoneDays", EnrichTrips.of(zones))
            .apply("AggregateZoneDaily", AggregateZoneDaily.of());
    PCollectionTuple userDays = trips.apply("AggregateUserDaily", AggregateUserDailyStream.of(lateness, paneInterval));
    PCollection<UserDaily> closedUserDays =
        userDays.get(AggregateUserDailyStream.CLOSED).apply("WindowClosedUserDays", closedDays(lateness));
    PCollection<UserDaily> userDaily =
        PCollectionList.of(userDays.get(AggregateUserDailyStream.RUNNING))
            .and(userDays.get(AggregateUserDailyStream.CLOSED))
            .apply("RunningAndClosedUserDays", Flatten.pCollections());
    PCollection<FareAnomaly> anomalies =
        trips
            .apply("WindowPickupDays", StreamingGraph.<Trip>closedDays(lateness))
            .apply("DetectFareAnomalies", DetectFareAnomalies.of());
    PCollection<EnrichedTrip> enriched =
        deduplicated
            .apply("SelectTripsToWrite", SelectTrips.of())
            .apply("EnrichTrips", EnrichTrips.of(zones))
            .apply("WindowProcessedTripPanes", panes(paneInterval));
    PCollection<RejectedRecord> rejected =
        side.get(SelectRejectedAndCounts.REJECTED).apply("WindowRejectedPanes", panes(paneInterval));
    if (request.serves()) {
      String url = options.getServingJdbcUrl();
      userDaily.apply("UpsertUserDaily", UpsertServingRows.userDaily(url, options.getServingSecretArn()));
      zoneDaily.apply("UpsertZoneDaily", UpsertServingRows.zoneDaily(url, options.getServingSecretArn()));
    }
    writeZones(
        enriched,
        zoneDaily.apply("SelectClosedZoneDays", SelectClosedDays.of()),
        closedUserDays,
        anomalies,
        rejected,
        request);
    LakeLayout layout = request.layout();
    PCollection<KV<String, Long>> counts =
        countPanes(side.get(SelectRejectedAndCounts.COUNTS), side.get(SelectRejectedAndCounts.REJECTED), paneInterval);
    counts
        .apply(
            "FormatCounts",
            MapElements.into(TypeDescriptors.strings()).via((KV<String, Long> kv) -> kv.getKey() + "\t" + kv.getValue()))
        .apply("WriteStreamCounts", WritePaneFiles.text(layout.streaming() + "/counts", temp(layout), "tsv"));
    return new Graph(checked, enriched, zoneDaily, userDaily, rejected, counts);
  }

  private static String temp(LakeLayout layout) {
    return layout.streaming() + "/tmp";
  }

  /**
   * Every zone's pane files into the lake, committed to the zones' tables every {@code --commitInterval}: the
   * processed trips and rejected records appended, a closed day's aggregates replacing the day's partition.
   */
  private static void writeZones(
      PCollection<EnrichedTrip> enriched,
      PCollection<ZoneDaily> zoneDaily,
      PCollection<UserDaily> userDaily,
      PCollection<FareAnomaly> anomalies,
      PCollection<RejectedRecord> rejected,
      RunRequest request) {
    Tables tables = new Tables(request);
    tables.write(enriched, "ProcessedTrips", LakeZone.PROCESSED_TRIPS, AvroRecords.processedTrips(),
        EnrichedTrip::getPickupDate, false);
    tables.write(zoneDaily, "ZoneDaily", LakeZone.ZONE_DAILY, AvroRecords.zoneDaily(), ZoneDaily::getPickupDate, true);
    tables.write(userDaily, "UserDaily", LakeZone.USER_DAILY, AvroRecords.userDaily(), UserDaily::getPickupDate, true);
    tables.write(anomalies, "FareAnomalies", LakeZone.ANOMALIES, AvroRecords.anomalies(), FareAnomaly::getPickupDate,
        true);
    tables.write(rejected, "RejectedTrips", LakeZone.REJECTED, AvroRecords.rejected(), null, false);
  }

  /** The zones' pane writers and table committers of one request. */
  private record Tables(RunRequest request, LakeLayout layout, LakeAddress address, Duration interval) {
    Tables(RunRequest request) {
      this(
          request,
          request.layout(),
          request.lakeAddress(),
          StreamDurations.parse("commitInterval", request.options().getCommitInterval()));
    }

    /**
     * Steps {@code Write<name>} and {@code Commit<name>}: {@code values}' pane files of {@code zone} (by pickup date
     * when {@code date} is given), appended to its table or each replacing its day's partition.
     */
    <T> void write(
        PCollection<T> values,
        String name,
        LakeZone zone,
        AvroRecords.Layout<T> records,
        @Nullable SerializableFunction<T, String> date,
        boolean replacesDays) {
      WritePaneFiles<T> writer = WritePaneFiles.parquet(layout.zone(zone), temp(layout), records);
      String runId = request.runId();
      values
          .apply("Write" + name, date == null ? writer : writer.partitionedBy(PARTITION_COLUMN, date))
          .apply(
              "Commit" + name,
              replacesDays
                  ? CommitPaneFiles.replacingDays(address, zone, interval, runId, expireDays())
                  : CommitPaneFiles.appending(address, zone, interval, runId, expireDays()));
    }

    private int expireDays() {
      return request.options().getExpireSnapshotsDays();
    }
  }

  /** The pane's counts: the steps' own and the rejected records per reason, summed per label. */
  private static PCollection<KV<String, Long>> countPanes(
      PCollection<KV<String, Long>> stepCounts, PCollection<RejectedRecord> rejected, Duration paneInterval) {
    PCollection<KV<String, Long>> rejectedByReason =
        rejected
            .apply(
                "LabelRejectedByReason",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via((RejectedRecord r) -> KV.of(CountLabels.REJECTED_PREFIX + r.getReason(), 1L)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return PCollectionList.of(stepCounts)
        .and(rejectedByReason)
        .apply("CollectCounts", Flatten.pCollections())
        .apply("WindowCountPanes", panes(paneInterval))
        .apply("SumCountsPerPane", Sum.longsPerKey());
  }

  /** The New York pickup days, each fired once when it closes ({@code lateness} after its end). */
  private static <T> Window<T> closedDays(Duration lateness) {
    return Window.<T>into(TripDays.withLateness(lateness))
        .triggering(AfterWatermark.pastEndOfWindow())
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }

  /** The global window, fired {@code every} after a pane's first element arrived, each element in one pane. */
  private static <T> Window<T> panes(Duration every) {
    return Window.<T>into(new GlobalWindows())
        .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(every)))
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }
}
