package dev.tripbeam.transforms;

import dev.tripbeam.model.Trip;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
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
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Drops the trips an earlier run already processed (incremental runs: a trip seen before is a duplicate), and counts
 * them as data.
 *
 * <p>Input: this run's unique trips. Side collection: the trips of the processed zone ({@code seen}). Outputs:
 * {@link #NEW_TRIPS} the input trips whose trip id is not among the seen ones (the earlier copy stays the processed
 * one) and {@link #SEEN_BEFORE}, for each trip id seen before, how many of this run's trips it dropped; the run
 * report counts them as duplicates. Metric: counter {@code seen_before} in namespace {@value #STEP}.
 */
public final class DropSeenTrips extends PTransform<PCollection<Trip>, PCollectionTuple> {
  public static final String STEP = "DropSeenTrips";
  public static final TupleTag<Trip> NEW_TRIPS = new TupleTag<Trip>() {};
  public static final TupleTag<Long> SEEN_BEFORE = new TupleTag<Long>() {};
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
  public PCollectionTuple expand(PCollection<Trip> trips) {
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
    PCollectionTuple tuple =
        KeyedPCollectionTuple.of(NEW, keyed)
        .and(SEEN, seenIds)
        .apply("JoinSeenTripIds", CoGroupByKey.create())
        .apply("EmitUnseenTrips", ParDo.of(new EmitFn()).withOutputTags(NEW_TRIPS, TupleTagList.of(SEEN_BEFORE)));
    tuple.get(NEW_TRIPS).setCoder(trips.getCoder());
    tuple.get(SEEN_BEFORE).setCoder(VarLongCoder.of());
    return tuple;
  }

  private static final class EmitFn extends DoFn<KV<String, CoGbkResult>, Trip> {
    private final Counter seenBefore = Metrics.counter(STEP, "seen_before");

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, MultiOutputReceiver out) {
      boolean wasSeen = joined.getValue().getAll(SEEN).iterator().hasNext();
      long dropped = 0;
      for (Trip trip : joined.getValue().getAll(NEW)) {
        if (wasSeen) {
          dropped++;
        } else {
          out.get(NEW_TRIPS).output(trip);
        }
      }
      if (dropped > 0) {
        seenBefore.inc(dropped);
        out.get(SEEN_BEFORE).output(dropped);
      }
    }
  }
}
