package dev.tripbeam.transforms;

import dev.tripbeam.model.Trip;
import java.util.Comparator;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Keeps one trip per trip id, and counts as data the copies it removes.
 *
 * <p>Input: valid {@link Trip}s (copies of one trip share its id). Outputs: {@link #UNIQUE} one trip per id (when
 * copies differ outside the key, the one first in {@link #CANONICAL_ORDER} is kept, so every runner keeps the same
 * one) and {@link #COPIES_REMOVED}, for each id that had copies, how many were removed: the run report sums them into
 * its duplicates, a count made where the copies disappear rather than derived from the other counts. Metrics:
 * counters {@code unique} and {@code duplicates} in namespace {@value #STEP}.
 */
public final class DeduplicateTrips extends PTransform<PCollection<Trip>, PCollectionTuple> {
  public static final String STEP = "DeduplicateTrips";
  public static final TupleTag<Trip> UNIQUE = new TupleTag<Trip>() {};
  public static final TupleTag<Long> COPIES_REMOVED = new TupleTag<Long>() {};

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
  public PCollectionTuple expand(PCollection<Trip> trips) {
    PCollectionTuple out =
        trips
            .apply("KeyByTripId", WithKeys.of(Trip::getTripId).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), trips.getCoder()))
            .apply("PickOnePerTripId", Combine.perKey(new PickCanonical()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(trips.getCoder(), VarLongCoder.of())))
            .apply("EmitUniqueTrips", ParDo.of(new EmitFn()).withOutputTags(UNIQUE, TupleTagList.of(COPIES_REMOVED)));
    out.get(UNIQUE).setCoder(trips.getCoder());
    out.get(COPIES_REMOVED).setCoder(VarLongCoder.of());
    return out;
  }

  /** Accumulates the canonical copy of a trip and how many copies were seen. */
  static final class PickCanonical extends Combine.CombineFn<Trip, KV<Trip, Long>, KV<Trip, Long>> {
    @Override
    public KV<Trip, Long> createAccumulator() {
      return KV.of(null, 0L);
    }

    @Override
    public KV<Trip, Long> addInput(KV<Trip, Long> acc, Trip trip) {
      return KV.of(better(acc.getKey(), trip), acc.getValue() + 1);
    }

    @Override
    public KV<Trip, Long> mergeAccumulators(Iterable<KV<Trip, Long>> accumulators) {
      Trip best = null;
      long copies = 0;
      for (KV<Trip, Long> acc : accumulators) {
        if (acc.getKey() != null) {
          best = better(best, acc.getKey());
        }
        copies += acc.getValue();
      }
      return KV.of(best, copies);
    }

    @Override
    public KV<Trip, Long> extractOutput(KV<Trip, Long> acc) {
      return acc;
    }

    private static Trip better(@Nullable Trip current, Trip candidate) {
      return current == null || CANONICAL_ORDER.compare(candidate, current) < 0 ? candidate : current;
    }

    @Override
    public Coder<KV<Trip, Long>> getAccumulatorCoder(CoderRegistry registry, Coder<Trip> inputCoder)
        throws CannotProvideCoderException {
      return KvCoder.of(org.apache.beam.sdk.coders.NullableCoder.of(inputCoder), VarLongCoder.of());
    }

    @Override
    public Coder<KV<Trip, Long>> getDefaultOutputCoder(CoderRegistry registry, Coder<Trip> inputCoder)
        throws CannotProvideCoderException {
      return KvCoder.of(inputCoder, VarLongCoder.of());
    }
  }

  private static final class EmitFn extends DoFn<KV<String, KV<Trip, Long>>, Trip> {
    private final Counter unique = Metrics.counter(STEP, "unique");
    private final Counter duplicates = Metrics.counter(STEP, "duplicates");

    @ProcessElement
    public void process(@Element KV<String, KV<Trip, Long>> element, MultiOutputReceiver out) {
      KV<Trip, Long> chosen = element.getValue();
      long removed = chosen.getValue() - 1;
      unique.inc();
      out.get(UNIQUE).output(chosen.getKey());
      if (removed > 0) {
        duplicates.inc(removed);
        out.get(COPIES_REMOVED).output(removed);
      }
    }
  }
}
