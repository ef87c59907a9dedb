package dev.tripbeam.graph;

import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.io.InputFormat;
import dev.tripbeam.io.ReadProcessedTrips;
import dev.tripbeam.io.ReadTripFiles;
import dev.tripbeam.io.WriteParquet;
import dev.tripbeam.io.WriteRunCounts;
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
import dev.tripbeam.options.Engine;
import dev.tripbeam.options.RunRequest;
import dev.tripbeam.options.TripPipelineOptions;
import dev.tripbeam.report.CountLabels;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
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
 * The graph of the batch job: raw trip files in, the lake's zones and the run's counts out, in the run's staging area.
 *
 * <p>Inputs: the resolved raw file paths (TLC yellow/green CSV, CSV.gz, Parquet, app-format JSON lines and Parquet)
 * and the zone table; with a {@code history}, the processed trips' files (of the table's snapshot) of the dates the new trips fall on.
 * Outputs under the staging area of {@code --runId}: every {@link LakeZone} and {@code run-counts.tsv}. Options: the
 * {@link RunRequest}'s ({@code --inputFormat}, {@code --reprocess}, {@code --openFilesPerTask}). Builds only: the run
 * ({@code dev.tripbeam.run.BatchRun}) lists the inputs, runs the engine and publishes.
 */
public final class BatchGraph {
  private static final String PARTITION_COLUMN = LakeZone.PARTITION_COLUMN;

  private BatchGraph() {}

  /**
   * The collections of a built graph, for tests that assert on the real graph.
   *
   * @param newTrips the trips this run writes to the processed zone (incremental: all trips of the dates it recomputes)
   */
  public record Graph(
      PCollection<CheckedTrip> checked,
      PCollection<Trip> newTrips,
      PCollection<EnrichedTrip> enriched,
      PCollection<ZoneDaily> zoneDaily,
      PCollection<UserDaily> userDaily,
      PCollection<FareAnomaly> anomalies,
      PCollection<RejectedRecord> rejected) {}

  /**
   * The steps of the graph that drop records, replaceable so that a test can put in a step that loses a trip and see
   * the run's reconciliation catch it.
   */
  public interface Steps {
    Steps DEFAULT = DeduplicateTrips::of;

    /** Deduplication of the checked trips, as {@link DeduplicateTrips}. */
    PTransform<PCollection<CheckedTrip>, PCollection<CheckedTrip>> deduplicate();
  }

  /**
   * Applies the whole job to {@code pipeline}; {@code inputFiles} are resolved paths, {@code zones} the table. Every
   * output goes to the run's staging area. With a {@code history} (the processed table's files by date) the processed trips of the pickup dates the new
   * trips fall on are read back and deduplicated with them, and every output but the rejected records is computed
   * for those dates alone (their partitions replace the lake's at publication).
   */
  public static Graph build(
      Pipeline pipeline,
      RunRequest request,
      List<String> inputFiles,
      List<Zone> zones,
      @Nullable Map<String, List<String>> history,
      Steps steps) {
    TripPipelineOptions options = request.options();
    PCollection<CheckedTrip> checked =
        pipeline
            .apply("ListInputFiles", Create.of(inputFiles).withCoder(StringUtf8Coder.of()))
            .apply(
                "ReadTripFiles",
                ReadTripFiles.of(
                    InputFormat.parse(options.getInputFormat()), ValidateTrips.Checker.of(TripRules.defaults(), zones)));
    if (!request.reprocessDates().isEmpty()) {
      checked = checked.apply("SelectReprocessedDates", SelectPickupDates.of(request.reprocessDates()));
    }
    PCollection<String> touchedDates =
        history != null ? checked.apply("SelectTouchedDates", SelectTouchedDates.of()) : null;
    PCollection<CheckedTrip> toDeduplicate =
        touchedDates == null ? checked : withProcessedTrips(checked, touchedDates, history);
    PCollection<CheckedTrip> deduplicated = toDeduplicate.apply("DeduplicateTrips", steps.deduplicate());
    PCollectionTuple side = deduplicated.apply("SelectRejectedAndCounts", SelectRejectedAndCounts.of());
    PCollection<RejectedRecord> rejected = side.get(SelectRejectedAndCounts.REJECTED);
    // Each consumer selects the trips itself, so that the selection chains to it and every unique trip is serialized
    // once per consumer of the deduplicated stream, not once more per collection in between.
    PCollection<Trip> newTrips = deduplicated.apply("SelectTripsToWrite", SelectTrips.of());
    PCollection<EnrichedTrip> enriched = newTrips.apply("EnrichTrips", EnrichTrips.of(zones));
    PCollection<ZoneDaily> zoneDaily =
        deduplicated
            .apply("SelectTripsForZoneDays", SelectTrips.of())
            .apply("EnrichTripsForZoneDays", EnrichTrips.of(zones))
            .apply("AggregateZoneDaily", AggregateZoneDaily.of());
    PCollection<UserDaily> userDaily =
        deduplicated.apply("SelectTripsForUserDays", SelectTrips.of()).apply("AggregateUserDaily", AggregateUserDaily.of());
    PCollection<FareAnomaly> anomalies =
        deduplicated
            .apply("SelectTripsForAnomalies", SelectTrips.of())
            .apply("DetectFareAnomalies", DetectFareAnomalies.of());
    Graph graph = new Graph(checked, newTrips, enriched, zoneDaily, userDaily, anomalies, rejected);
    writeZones(graph, request);
    writeCounts(side.get(SelectRejectedAndCounts.COUNTS), rejected, touchedDates, request);
    return graph;
  }

  /**
   * The new records and the processed trips of the dates they fall on, and only those: deduplicated together, they
   * give those dates' partitions as a full run over all raw files would. The reader counts the trips it reads back in
   * the stream ({@code processed_before}), so they have one consumer.
   */
  private static PCollection<CheckedTrip> withProcessedTrips(
      PCollection<CheckedTrip> checked, PCollection<String> touchedDates, Map<String, List<String>> history) {
    TreeMap<String, ArrayList<String>> files = new TreeMap<>();
    history.forEach((date, paths) -> files.put(date, new ArrayList<>(paths)));
    PCollection<CheckedTrip> processedBefore =
        touchedDates
            .apply(
                "ListTouchedPartitions",
                FlatMapElements.into(TypeDescriptors.strings())
                    .via(date -> files.getOrDefault(date, new ArrayList<>())))
            .apply("ReadProcessedTrips", ReadProcessedTrips.of());
    return PCollectionList.of(checked).and(processedBefore).apply("CollectTripsOfTouchedDates", Flatten.pCollections());
  }

  /** Every zone's Parquet files into the run's staging area. */
  private static void writeZones(Graph graph, RunRequest request) {
    LakeLayout staged = request.layout().staged(request.runId());
    WriteParquet<EnrichedTrip> processed =
        zoneWriter(request, LakeZone.PROCESSED_TRIPS, AvroRecords.processedTrips())
            .partitionedBy(PARTITION_COLUMN, EnrichedTrip::getPickupDate);
    WriteParquet<UserDaily> userDays =
        zoneWriter(request, LakeZone.USER_DAILY, AvroRecords.userDaily())
            .partitionedBy(PARTITION_COLUMN, UserDaily::getPickupDate);
    if (writesFilesPerBundle(request)) {
      processed = processed.withFilesPerBundle(request.options().getOpenFilesPerTask());
      userDays = userDays.withFilesPerBundle(request.options().getOpenFilesPerTask());
    }
    graph.enriched().apply("WriteProcessedTrips", processed);
    graph.zoneDaily().apply(
        "WriteZoneDaily",
        zoneWriter(request, LakeZone.ZONE_DAILY, AvroRecords.zoneDaily())
            .partitionedBy(PARTITION_COLUMN, ZoneDaily::getPickupDate));
    graph.userDaily().apply("WriteUserDaily", userDays);
    graph.anomalies().apply(
        "WriteFareAnomalies",
        zoneWriter(request, LakeZone.ANOMALIES, AvroRecords.anomalies())
            .partitionedBy(PARTITION_COLUMN, FareAnomaly::getPickupDate));
    graph.rejected().apply("WriteRejectedTrips", zoneWriter(request, LakeZone.REJECTED, AvroRecords.rejected()));
  }

  private static <T> WriteParquet<T> zoneWriter(RunRequest request, LakeZone zone, AvroRecords.Layout<T> records) {
    LakeLayout layout = request.layout();
    return WriteParquet.to(layout.staged(request.runId()).zone(zone), layout.writerTemp(request.runId(), zone), records);
  }

  /** The run's counts: the steps' own, the rejected records per reason and (incremental) the recomputed dates. */
  private static void writeCounts(
      PCollection<KV<String, Long>> stepCounts,
      PCollection<RejectedRecord> rejected,
      @Nullable PCollection<String> touchedDates,
      RunRequest request) {
    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(stepCounts)
            .and(
                rejected.apply(
                    "CountRejectedByReason", CountRecords.by(r -> CountLabels.REJECTED_PREFIX + r.getReason())));
    if (touchedDates != null) {
      counts =
          counts.and(
              touchedDates.apply("CountTouchedDates", CountRecords.by(d -> CountLabels.TOUCHED_DATE_PREFIX + d)));
    }
    LakeLayout layout = request.layout();
    counts.apply(
        "WriteRunCounts",
        WriteRunCounts.to(layout.counts(request.runId()), layout.staging(request.runId()) + "/tmp/counts"));
  }

  /**
   * Whether the two full-volume zones (processed trips, user days) are written without a sharding shuffle, each
   * bundle writing its own files: on Flink, whose batch bundles are whole partitions. Spark keeps fixed shards (it lost
   * rows with runner-determined sharding, see {@code WriteParquet}), and so does the DirectRunner (its small bundles
   * would write many small files). The small zones keep fixed shards everywhere.
   */
  static boolean writesFilesPerBundle(RunRequest request) {
    return request.engine() == Engine.FLINK;
  }
}
