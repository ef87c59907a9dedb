package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.Trip;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Keeps one trip per trip id, and counts as data the copies it removes.
 *
 * <p>Input and output: one stream of {@link CheckedTrip}s. Trips (copies of one trip share its id) come out one per
 * id: when copies differ outside the key, the one first in {@link #CANONICAL_ORDER} is kept, so every runner keeps the
 * same one; for each id that had copies a count {@value CheckedTrip#COPIES_REMOVED} of the copies removed follows it,
 * a count made where the copies disappear rather than derived from the other counts. Rejected records pass unchanged
 * and counts come out summed per label, so the one shuffle deduplication needs also carries them (a second output
 * would copy every trip once more on Flink). Metrics: counters {@code unique} and {@code duplicates} in namespace
 * {@value #STEP}.
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
    Coder<CheckedTrip> coder = TripCoders.checkedTrip();
    return records
        .apply("KeyByTripId", ParDo.of(new KeyFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
        .apply("PickOnePerTripId", Combine.perKey(new PickCanonical()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
        .apply("EmitUniqueTrips", ParDo.of(new EmitFn()))
        .setCoder(coder);
  }

  /**
   * Keys a trip by its id, a count by its label, and a rejected record by a key of its own (nothing is merged with
   * it). The first character keeps the three key spaces apart.
   */
  private static final class KeyFn extends DoFn<CheckedTrip, KV<String, CheckedTrip>> {
    private transient long instance;
    private transient long sequence;

    @Setup
    public void setup() {
      instance = ThreadLocalRandom.current().nextLong();
    }

    @ProcessElement
    public void process(@Element CheckedTrip record, OutputReceiver<KV<String, CheckedTrip>> out) {
      String key =
          switch (record.getKind()) {
            case TRIP -> "t" + record.trip().getTripId();
            case COUNT -> "c" + record.getLabel();
            case REJECTED -> "r" + Long.toHexString(instance) + ':' + (sequence++);
          };
      out.output(KV.of(key, record));
    }
  }

  /** Keeps the canonical copy of a trip with the number of copies seen, and sums counts. */
  static final class PickCanonical extends Combine.CombineFn<CheckedTrip, CheckedTrip, CheckedTrip> {
    @Override
    public @Nullable CheckedTrip createAccumulator() {
      return null;
    }

    @Override
    public CheckedTrip addInput(@Nullable CheckedTrip acc, CheckedTrip input) {
      return merge(acc, input);
    }

    @Override
    public @Nullable CheckedTrip mergeAccumulators(Iterable<CheckedTrip> accumulators) {
      CheckedTrip merged = null;
      for (CheckedTrip acc : accumulators) {
        if (acc != null) {
          merged = merge(merged, acc);
        }
      }
      return merged;
    }

    @Override
    public CheckedTrip extractOutput(CheckedTrip acc) {
      return acc;
    }

    private static CheckedTrip merge(@Nullable CheckedTrip a, CheckedTrip b) {
      if (a == null) {
        return b;
      }
      if (a.getKind() != b.getKind() || a.getKind() == CheckedTrip.Kind.REJECTED) {
        throw new IllegalStateException("cannot merge " + a.getKind() + " with " + b.getKind() + " under one key");
      }
      long count = a.getCount() + b.getCount();
      if (a.getKind() == CheckedTrip.Kind.COUNT) {
        return CheckedTrip.count(a.getLabel(), count);
      }
      Trip best = CANONICAL_ORDER.compare(b.trip(), a.trip()) < 0 ? b.trip() : a.trip();
      return CheckedTrip.trip(best, count);
    }

    @Override
    public Coder<CheckedTrip> getAccumulatorCoder(CoderRegistry registry, Coder<CheckedTrip> inputCoder) {
      return NullableCoder.of(TripCoders.checkedTrip());
    }

    @Override
    public Coder<CheckedTrip> getDefaultOutputCoder(CoderRegistry registry, Coder<CheckedTrip> inputCoder) {
      return TripCoders.checkedTrip();
    }
  }

  private static final class EmitFn extends DoFn<KV<String, CheckedTrip>, CheckedTrip> {
    private final Counter unique = Metrics.counter(STEP, "unique");
    private final Counter duplicates = Metrics.counter(STEP, "duplicates");

    @ProcessElement
    public void process(@Element KV<String, CheckedTrip> element, OutputReceiver<CheckedTrip> out) {
      CheckedTrip chosen = element.getValue();
      if (!chosen.isTrip()) {
        out.output(chosen);
        return;
      }
      long removed = chosen.getCount() - 1;
      unique.inc();
      if (removed == 0) {
        out.output(chosen);
        return;
      }
      duplicates.inc(removed);
      out.output(CheckedTrip.trip(chosen.trip()));
      out.output(CheckedTrip.count(CheckedTrip.COPIES_REMOVED, removed));
    }
  }
}
