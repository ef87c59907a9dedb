package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.Trip;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Keeps one trip per trip id across an unbounded stream, without holding any trip back: the streaming counterpart of
 * {@link DeduplicateTrips}, with its copy rules (a copy equal in content is counted under {@value
 * CheckedTrip#COPIES_REMOVED}, a copy that differs is rejected as {@code conflicting_duplicate} with its content and
 * the kept copy's, counted under {@value CheckedTrip#CONFLICTING_COPIES}).
 *
 * <p>Input and output: {@link CheckedTrip}s stamped with event time ({@link EventClock}); rejected records and counts
 * pass unchanged, without a shuffle. A trip's first copy goes on at once, with its timestamp; a later copy is judged
 * against the copy already sent. So the stream differs from the batch job only in which copy is kept when copies
 * disagree: the first to arrive here, where the batch job keeps the first in {@link DeduplicateTrips#CANONICAL_ORDER}
 * (the same copy when copies arrive in that order). State: per New York pickup day and hash bucket of the trip id
 * ({@value #BUCKETS} a day), a map from trip id to the kept trip and one expiry timer at the day's end plus the allowed
 * lateness (the retention); after that every copy of that day is late and rejected at the source, so the map is never
 * needed again and is cleared. A conflicting copy with a pickup on another day than the kept one's is not compared
 * (it is kept in its own day). Metrics: counters {@code unique}, {@code duplicates}, {@code conflicting_duplicates} in
 * namespace {@value #STEP}.
 */
public final class DeduplicateTripStream extends PTransform<PCollection<CheckedTrip>, PCollection<CheckedTrip>> {
  public static final String STEP = "DeduplicateTripStream";
  static final int BUCKETS = 256;
  private static final TupleTag<KV<Long, Trip>> TRIPS = new TupleTag<>() {};
  private static final TupleTag<CheckedTrip> OTHERS = new TupleTag<>() {};

  private final Duration lateness;

  private DeduplicateTripStream(Duration lateness) {
    this.lateness = lateness;
  }

  /** Keeps each day's trip ids until the day's end plus {@code lateness}. */
  public static DeduplicateTripStream retainingFor(Duration lateness) {
    return new DeduplicateTripStream(lateness);
  }

  @Override
  public PCollection<CheckedTrip> expand(PCollection<CheckedTrip> records) {
    PCollectionTuple split =
        records.apply("KeyTripsByDayBucket", ParDo.of(new KeyFn()).withOutputTags(TRIPS, TupleTagList.of(OTHERS)));
    PCollection<CheckedTrip> judged =
        split
            .get(TRIPS)
            .setCoder(KvCoder.of(VarLongCoder.of(), TripCoders.trip()))
            .apply("KeepFirstCopyPerTripId", ParDo.of(new FirstCopyFn(lateness)))
            .setCoder(TripCoders.checkedTrip());
    return PCollectionList.of(judged)
        .and(split.get(OTHERS).setCoder(TripCoders.checkedTrip()))
        .apply("WithOtherRecords", Flatten.pCollections());
  }

  /** The state key of a trip: its New York pickup day and a bucket of its id. */
  static long key(Trip trip) {
    return (long) trip.getPickupEpochDay() * BUCKETS + GroupByBucket.bucketOf(trip.getTripId().hashCode()) % BUCKETS;
  }

  private static final class KeyFn extends DoFn<CheckedTrip, KV<Long, Trip>> {
    @ProcessElement
    public void process(@Element CheckedTrip record, MultiOutputReceiver out) {
      if (record.isTrip()) {
        out.get(TRIPS).output(KV.of(key(record.trip()), record.trip()));
      } else {
        out.get(OTHERS).output(record);
      }
    }
  }

  private static final class FirstCopyFn extends DoFn<KV<Long, Trip>, CheckedTrip> {
    private final Counter unique = Metrics.counter(STEP, "unique");
    private final Counter duplicates = Metrics.counter(STEP, "duplicates");
    private final Counter conflicting = Metrics.counter(STEP, "conflicting_duplicates");
    private final Duration lateness;

    @StateId("kept")
    private final StateSpec<MapState<String, Trip>> keptSpec = StateSpecs.map(StringUtf8Coder.of(), TripCoders.trip());

    @StateId("armed")
    private final StateSpec<ValueState<Boolean>> armedSpec = StateSpecs.value();

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    FirstCopyFn(Duration lateness) {
      this.lateness = lateness;
    }

    @ProcessElement
    public void process(
        @Element KV<Long, Trip> element,
        @StateId("kept") MapState<String, Trip> keptTrips,
        @StateId("armed") ValueState<Boolean> armed,
        @TimerId("expire") Timer expire,
        OutputReceiver<CheckedTrip> out) {
      Trip trip = element.getValue();
      Trip kept = keptTrips.get(trip.getTripId()).read();
      if (kept != null) {
        judge(kept, trip, out);
        return;
      }
      keptTrips.put(trip.getTripId(), trip);
      unique.inc();
      out.output(CheckedTrip.trip(trip));
      if (armed.read() == null) {
        long dayEnd = TripDays.dayStartMillis(trip.getPickupEpochDay() + 1);
        expire.set(new Instant(dayEnd).plus(lateness));
        armed.write(true);
      }
    }

    @OnTimer("expire")
    public void onExpire(
        @StateId("kept") MapState<String, Trip> keptTrips, @StateId("armed") ValueState<Boolean> armed) {
      keptTrips.clear();
      armed.clear();
    }

    /** A copy of the kept trip: counted when equal in content, else rejected with both contents. */
    private void judge(Trip kept, Trip copy, OutputReceiver<CheckedTrip> out) {
      List<String> differing = kept.differingFields(copy);
      if (differing.isEmpty()) {
        duplicates.inc();
        out.output(CheckedTrip.count(CheckedTrip.COPIES_REMOVED, 1));
      } else {
        conflicting.inc();
        out.output(CheckedTrip.rejected(DeduplicateTrips.conflictWithKept(kept, copy, differing)));
        out.output(CheckedTrip.count(CheckedTrip.CONFLICTING_COPIES, 1));
      }
    }
  }
}
