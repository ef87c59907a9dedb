package dev.tripbeam.transforms;

import dev.tripbeam.model.Trip;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Drops the trips an earlier run already processed (incremental runs: a trip seen before is a duplicate).
 *
 * <p>Input: this run's unique trips. Side collection: the trips of the processed zone ({@code seen}). Output: the
 * input trips whose trip id is not among the seen ones; the earlier copy stays the processed one. Metric: counter
 * {@code seen_before} in namespace {@value #STEP}; the run report counts them as duplicates (valid-before minus
 * unique-after).
 */
public final class DropSeenTrips extends PTransform<PCollection<Trip>, PCollection<Trip>> {
  public static final String STEP = "DropSeenTrips";
  private static final TupleTag<Trip> NEW = new TupleTag<Trip>() {};
  private static final TupleTag<Integer> SEEN = new TupleTag<Integer>() {};

  private final PCollection<Trip> seen;

  private DropSeenTrips(PCollection<Trip> seen) {
    this.seen = seen;
  }

  public static DropSeenTrips seenIn(PCollection<Trip> seen) {
    return new DropSeenTrips(seen);
  }

  @Override
  public PCollection<Trip> expand(PCollection<Trip> trips) {
    PCollection<KV<String, Trip>> keyed =
        trips
            .apply("KeyNewTripsById", WithKeys.of(Trip::getTripId).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), trips.getCoder()));
    PCollection<KV<String, Integer>> seenIds =
        seen.apply(
                "KeySeenTripsById",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.integers()))
                    .via(t -> KV.of(t.getTripId(), 1)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()));
    return KeyedPCollectionTuple.of(NEW, keyed)
        .and(SEEN, seenIds)
        .apply("JoinSeenTripIds", CoGroupByKey.create())
        .apply("EmitUnseenTrips", ParDo.of(new EmitFn()))
        .setCoder(trips.getCoder());
  }

  private static final class EmitFn extends DoFn<KV<String, CoGbkResult>, Trip> {
    private final Counter seenBefore = Metrics.counter(STEP, "seen_before");

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<Trip> out) {
      boolean wasSeen = joined.getValue().getAll(SEEN).iterator().hasNext();
      for (Trip trip : joined.getValue().getAll(NEW)) {
        if (wasSeen) {
          seenBefore.inc();
        } else {
          out.output(trip);
        }
      }
    }
  }
}
