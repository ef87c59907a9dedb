package dev.tripbeam.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keeps one trip per trip id; counts the copies it removes, and rejects the copies whose content differs.
 *
 * <p>Input and output: one stream of {@link CheckedTrip}s. Trips (copies of one trip share its id) come out one per
 * id: the copy first in {@link #CANONICAL_ORDER} is kept, so every runner, and every sequence of incremental runs,
 * keeps the same one. A copy whose content ({@link Trip#differingFields}: every field but the lineage) equals the
 * kept copy's is a duplicate, counted under {@value CheckedTrip#COPIES_REMOVED}; any other copy is a conflicting
 * duplicate, counted under {@value CheckedTrip#CONFLICTING_COPIES} and emitted as a rejected record {@code
 * conflicting_duplicate} with its lineage, its content as JSON and, in the detail, the kept copy's id and the fields
 * that differ (not the kept copy's lineage: which of several equal copies is kept may change with a later run).
 * Counts are made where copies disappear, not derived from other counts. Rejected records pass unchanged and counts
 * come out summed per label, so the one shuffle deduplication needs also carries them (a second output would copy
 * every trip once more on Flink). The shuffle ships batches per bucket of trip ids ({@link GroupByBucket}). Metrics:
 * counters {@code unique}, {@code duplicates} and {@code conflicting_duplicates} in namespace {@value #STEP}.
 */
public final class DeduplicateTrips extends PTransform<PCollection<CheckedTrip>, PCollection<CheckedTrip>> {
  public static final String STEP = "DeduplicateTrips";

  /** A total order on the fields outside the deduplication key. */
  public static final Comparator<Trip> CANONICAL_ORDER =
      Comparator.comparingLong(Trip::getFareCents)
          .thenComparingLong(Trip::getTipCents)
          .thenComparingLong(Trip::getTollsCents)
          .thenComparing(Trip::getPassengerCount, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Trip::getPaymentType, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Trip::getUserId, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Trip::getVendorId, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Trip::getPickup)
          .thenComparing(Trip::getDropoff)
          .thenComparingInt(Trip::getPuZoneId)
          .thenComparingInt(Trip::getDoZoneId)
          .thenComparingDouble(Trip::getDistanceMiles)
          .thenComparingLong(Trip::getTotalCents)
          .thenComparing(Trip::getSource)
          .thenComparing(Trip::getSourceFile)
          .thenComparingLong(Trip::getSourceRow);

  private static final ObjectMapper JSON = new ObjectMapper();

  private DeduplicateTrips() {}

  public static DeduplicateTrips of() {
    return new DeduplicateTrips();
  }

  @Override
  public PCollection<CheckedTrip> expand(PCollection<CheckedTrip> records) {
    return records
        .apply("GroupByTripIdBucket", GroupByBucket.of(DeduplicateTrips::bucketHash, TripCoders.checkedTrip()))
        .apply("PickOnePerTripId", ParDo.of(new PickFn()))
        .setCoder(TripCoders.checkedTrip());
  }

  /**
   * Copies of a trip meet in the bucket of its id and counts of one label in the bucket of the label; a rejected
   * record meets nothing, so its file and row spread it.
   */
  static int bucketHash(CheckedTrip record) {
    RejectedRecord rejected = record.getRejected();
    return switch (record.getKind()) {
      case TRIP -> record.trip().getTripId().hashCode();
      case COUNT -> record.getLabel().hashCode();
      case REJECTED -> 31 * rejected.getSourceFile().hashCode() + Long.hashCode(rejected.getRowNumber());
    };
  }

  /**
   * Per bucket: emits the canonical copy of each trip id, a rejected record per conflicting copy, the bucket's counts
   * of copies removed and rejected, the sum of each count label, and rejected records as they are.
   */
  private static final class PickFn extends DoFn<KV<Integer, Iterable<List<CheckedTrip>>>, CheckedTrip> {
    private final Counter unique = Metrics.counter(STEP, "unique");
    private final Counter duplicates = Metrics.counter(STEP, "duplicates");
    private final Counter conflicting = Metrics.counter(STEP, "conflicting_duplicates");

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<List<CheckedTrip>>> bucket, OutputReceiver<CheckedTrip> out) {
      Map<String, Trip> first = new HashMap<>();
      Map<String, List<Trip>> copies = new HashMap<>();
      Map<String, CheckedTrip> counts = new HashMap<>();
      for (List<CheckedTrip> batch : bucket.getValue()) {
        for (CheckedTrip record : batch) {
          switch (record.getKind()) {
            case TRIP -> {
              Trip trip = record.trip();
              Trip earlier = first.putIfAbsent(trip.getTripId(), trip);
              if (earlier != null) {
                copies.computeIfAbsent(trip.getTripId(), id -> new ArrayList<>(List.of(earlier))).add(trip);
              }
            }
            case COUNT -> counts.merge(record.getLabel(), record, DeduplicateTrips::merge);
            case REJECTED -> out.output(record);
          }
        }
      }
      counts.values().forEach(out::output);
      long removed = 0;
      long rejected = 0;
      for (Trip trip : first.values()) {
        unique.inc();
        List<Trip> all = copies.get(trip.getTripId());
        if (all == null) {
          out.output(CheckedTrip.trip(trip));
          continue;
        }
        Trip kept = Collections.min(all, CANONICAL_ORDER);
        out.output(CheckedTrip.trip(kept));
        for (Trip copy : all) {
          if (copy == kept) {
            continue;
          }
          List<String> differing = kept.differingFields(copy);
          if (differing.isEmpty()) {
            removed++;
          } else {
            rejected++;
            out.output(CheckedTrip.rejected(conflict(kept, copy, differing)));
          }
        }
      }
      if (removed > 0) {
        duplicates.inc(removed);
        out.output(CheckedTrip.count(CheckedTrip.COPIES_REMOVED, removed));
      }
      if (rejected > 0) {
        conflicting.inc(rejected);
        out.output(CheckedTrip.count(CheckedTrip.CONFLICTING_COPIES, rejected));
      }
    }
  }

  /** The rejected record of a copy whose content differs from the kept copy's. */
  static RejectedRecord conflict(Trip kept, Trip copy, List<String> differing) {
    return RejectedRecord.of(
        RejectReason.CONFLICTING_DUPLICATE,
        STEP,
        copy.getSourceFile(),
        copy.getSourceRow(),
        json(copy),
        "the kept copy of trip " + kept.getTripId() + " differs from this one in " + String.join(", ", differing));
  }

  /** {@link #conflict}, its reason followed by the kept copy's content (the stream keeps the copy that came first). */
  static RejectedRecord conflictWithKept(Trip kept, Trip copy, List<String> differing) {
    RejectedRecord r = conflict(kept, copy, differing);
    return RejectedRecord.of(
        RejectReason.CONFLICTING_DUPLICATE, r.getStep(), r.getSourceFile(), r.getRowNumber(), r.getRaw(),
        r.getDetail() + "; the kept copy: " + json(kept));
  }

  /** A trip's content and lineage as one JSON object, with the processed zone's column names. */
  static String json(Trip t) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("trip_id", t.getTripId());
    fields.put("source", t.getSource());
    fields.put("vendor_id", t.getVendorId());
    fields.put("pickup_datetime", t.getPickup().toString());
    fields.put("dropoff_datetime", t.getDropoff().toString());
    fields.put("pu_zone_id", t.getPuZoneId());
    fields.put("do_zone_id", t.getDoZoneId());
    fields.put("passenger_count", t.getPassengerCount());
    fields.put("trip_distance", t.getDistanceMiles());
    fields.put("fare_cents", t.getFareCents());
    fields.put("tip_cents", t.getTipCents());
    fields.put("tolls_cents", t.getTollsCents());
    fields.put("total_cents", t.getTotalCents());
    fields.put("payment_type", t.getPaymentType());
    fields.put("user_id", t.getUserId());
    fields.put("source_file", t.getSourceFile());
    fields.put("source_row", t.getSourceRow());
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render trip " + t.getTripId(), e);
    }
  }

  /** Two counts of one label: their sum. */
  static CheckedTrip merge(CheckedTrip a, CheckedTrip b) {
    if (a.getKind() != CheckedTrip.Kind.COUNT || b.getKind() != CheckedTrip.Kind.COUNT) {
      throw new IllegalStateException("cannot merge " + a.getKind() + " with " + b.getKind());
    }
    return CheckedTrip.count(a.getLabel(), a.getCount() + b.getCount());
  }
}
