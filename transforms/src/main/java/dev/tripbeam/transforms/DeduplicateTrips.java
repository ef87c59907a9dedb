package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import java.util.Comparator;
import java.util.HashMap;
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
 * Keeps one trip per trip id, and counts as data the copies it removes.
 *
 * <p>Input and output: one stream of {@link CheckedTrip}s. Trips (copies of one trip share its id) come out one per
 * id: when copies differ outside the key, the one first in {@link #CANONICAL_ORDER} is kept, so every runner keeps the
 * same one; for each id that had copies a count {@value CheckedTrip#COPIES_REMOVED} of the copies removed follows it,
 * a count made where the copies disappear rather than derived from the other counts. Rejected records pass unchanged
 * and counts come out summed per label, so the one shuffle deduplication needs also carries them (a second output
 * would copy every trip once more on Flink). The shuffle ships batches per bucket of trip ids ({@link GroupByBucket}).
 * Metrics: counters {@code unique} and {@code duplicates} in namespace {@value #STEP}.
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
          .thenComparing(Trip::getSource);

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
   * Per bucket: emits the canonical copy of each trip id (and a count of the copies removed), the sum of each count
   * label, and rejected records as they are.
   */
  private static final class PickFn extends DoFn<KV<Integer, Iterable<List<CheckedTrip>>>, CheckedTrip> {
    private final Counter unique = Metrics.counter(STEP, "unique");
    private final Counter duplicates = Metrics.counter(STEP, "duplicates");

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<List<CheckedTrip>>> bucket, OutputReceiver<CheckedTrip> out) {
      Map<String, CheckedTrip> trips = new HashMap<>();
      Map<String, CheckedTrip> counts = new HashMap<>();
      for (List<CheckedTrip> batch : bucket.getValue()) {
        for (CheckedTrip record : batch) {
          switch (record.getKind()) {
            case TRIP -> trips.merge(record.trip().getTripId(), record, DeduplicateTrips::merge);
            case COUNT -> counts.merge(record.getLabel(), record, DeduplicateTrips::merge);
            case REJECTED -> out.output(record);
          }
        }
      }
      counts.values().forEach(out::output);
      for (CheckedTrip chosen : trips.values()) {
        long removed = chosen.getCount() - 1;
        unique.inc();
        if (removed == 0) {
          out.output(chosen);
        } else {
          duplicates.inc(removed);
          out.output(CheckedTrip.trip(chosen.trip()));
          out.output(CheckedTrip.count(CheckedTrip.COPIES_REMOVED, removed));
        }
      }
    }
  }

  /** Two records of one trip id or one count label: the canonical trip with both copy counts, or the sum. */
  static CheckedTrip merge(CheckedTrip a, CheckedTrip b) {
    if (a.getKind() != b.getKind() || a.getKind() == CheckedTrip.Kind.REJECTED) {
      throw new IllegalStateException("cannot merge " + a.getKind() + " with " + b.getKind());
    }
    long count = a.getCount() + b.getCount();
    if (a.getKind() == CheckedTrip.Kind.COUNT) {
      return CheckedTrip.count(a.getLabel(), count);
    }
    Trip best = CANONICAL_ORDER.compare(b.trip(), a.trip()) < 0 ? b.trip() : a.trip();
    return CheckedTrip.trip(best, count);
  }
}
