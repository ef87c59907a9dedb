package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.Trip;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Keeps one trip per trip id across an unbounded stream: the streaming counterpart of {@link DeduplicateTrips},
 * with its copy rules (a copy equal in content is counted under {@value CheckedTrip#COPIES_REMOVED}, a copy that
 * differs is rejected as {@code conflicting_duplicate} with {@link DeduplicateTrips#conflict}, counted under
 * {@value CheckedTrip#CONFLICTING_COPIES}).
 *
 * <p>Input and output: {@link CheckedTrip}s stamped with event time ({@link EventClock}); rejected records and counts
 * pass unchanged. A trip id's copies are held until the watermark passes the pickup of the first; then the first of
 * them in {@link DeduplicateTrips#CANONICAL_ORDER} goes on, as the batch job would keep it, and the others are
 * judged against it; a copy arriving later is judged against the kept one (so a conflicting copy that comes after the
 * watermark has passed its pickup may keep another copy than the batch job would). The hold delays a trip by the
 * watermark's lag, which the day windows wait for anyway. State per trip id: its copies until the watermark passes
 * the pickup, then the kept trip until the watermark passes the end of its New York pickup day plus the allowed
 * lateness (the retention); after that every copy with that pickup is late and rejected at the source, so the state
 * would never be needed again. A conflicting copy with a pickup on another day that arrives after the retention is
 * not compared. Metrics: counters {@code unique}, {@code duplicates}, {@code conflicting_duplicates} in namespace
 * {@value #STEP}.
 */
public final class DeduplicateTripStream extends PTransform<PCollection<CheckedTrip>, PCollection<CheckedTrip>> {
  public static final String STEP = "DeduplicateTripStream";
  private static final int PASS_THROUGH_KEYS = 64;

  private final Duration lateness;

  private DeduplicateTripStream(Duration lateness) {
    this.lateness = lateness;
  }

  /** Keeps each trip id's state until its pickup day's end plus {@code lateness}. */
  public static DeduplicateTripStream retainingFor(Duration lateness) {
    return new DeduplicateTripStream(lateness);
  }

  @Override
  public PCollection<CheckedTrip> expand(PCollection<CheckedTrip> records) {
    return records
        .apply(
            "KeyByTripId",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(CheckedTrip.class)))
                .via((CheckedTrip r) -> KV.of(key(r), r)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), TripCoders.checkedTrip()))
        .apply("KeepCanonicalCopyPerTripId", ParDo.of(new KeepCanonicalFn(lateness)))
        .setCoder(TripCoders.checkedTrip());
  }

  /** A trip's id; records that are no trip spread over a few keys of their own (they meet nothing). */
  static String key(CheckedTrip record) {
    return record.isTrip()
        ? record.trip().getTripId()
        : "~" + Math.floorMod(DeduplicateTrips.bucketHash(record), PASS_THROUGH_KEYS);
  }

  private static final class KeepCanonicalFn extends DoFn<KV<String, CheckedTrip>, CheckedTrip> {
    private final Counter unique = Metrics.counter(STEP, "unique");
    private final Counter duplicates = Metrics.counter(STEP, "duplicates");
    private final Counter conflicting = Metrics.counter(STEP, "conflicting_duplicates");
    private final Duration lateness;

    @StateId("copies")
    private final StateSpec<BagState<Trip>> copiesSpec = StateSpecs.bag(TripCoders.trip());

    @StateId("kept")
    private final StateSpec<ValueState<Trip>> keptSpec = StateSpecs.value(TripCoders.trip());

    @TimerId("emit")
    private final TimerSpec emitSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    KeepCanonicalFn(Duration lateness) {
      this.lateness = lateness;
    }

    @ProcessElement
    public void process(
        @Element KV<String, CheckedTrip> element,
        @Timestamp Instant timestamp,
        @StateId("copies") BagState<Trip> copies,
        @StateId("kept") ValueState<Trip> keptState,
        @TimerId("emit") Timer emit,
        @TimerId("expire") Timer expire,
        OutputReceiver<CheckedTrip> out) {
      CheckedTrip record = element.getValue();
      if (!record.isTrip()) {
        out.output(record);
        return;
      }
      Trip trip = record.trip();
      Trip kept = keptState.read();
      if (kept != null) {
        classify(kept, trip, out::output);
        return;
      }
      if (copies.isEmpty().read()) {
        emit.set(timestamp);
        long pickupMillis = Math.floorDiv(trip.getPickupMicros(), 1_000L);
        expire.set(new Instant(TripDays.dayEndMillis(pickupMillis)).plus(lateness));
      }
      copies.add(trip);
    }

    /** The watermark has passed the pickup: the canonical copy of those that came goes on, the others are judged. */
    @OnTimer("emit")
    public void onEmit(
        @StateId("copies") BagState<Trip> copies,
        @StateId("kept") ValueState<Trip> keptState,
        OutputReceiver<CheckedTrip> out) {
      List<Trip> all = new ArrayList<>();
      copies.read().forEach(all::add);
      if (all.isEmpty()) {
        return;
      }
      Trip kept = Collections.min(all, DeduplicateTrips.CANONICAL_ORDER);
      unique.inc();
      out.output(CheckedTrip.trip(kept));
      for (Trip copy : all) {
        if (copy != kept) {
          classify(kept, copy, out::output);
        }
      }
      keptState.write(kept);
      copies.clear();
    }

    @OnTimer("expire")
    public void onExpire(@StateId("copies") BagState<Trip> copies, @StateId("kept") ValueState<Trip> keptState) {
      copies.clear();
      keptState.clear();
    }

    /** A copy of the kept trip: counted when equal in content, else rejected. */
    private void classify(Trip kept, Trip copy, Consumer<CheckedTrip> out) {
      List<String> differing = kept.differingFields(copy);
      if (differing.isEmpty()) {
        duplicates.inc();
        out.accept(CheckedTrip.count(CheckedTrip.COPIES_REMOVED, 1));
      } else {
        conflicting.inc();
        out.accept(CheckedTrip.rejected(DeduplicateTrips.conflict(kept, copy, differing)));
        out.accept(CheckedTrip.count(CheckedTrip.CONFLICTING_COPIES, 1));
      }
    }
  }
}
