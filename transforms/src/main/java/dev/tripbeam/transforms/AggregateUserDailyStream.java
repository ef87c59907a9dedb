package dev.tripbeam.transforms;

import dev.tripbeam.model.Trip;
import dev.tripbeam.model.UserDaily;
import dev.tripbeam.transforms.AggregateUserDaily.Legs;
import dev.tripbeam.transforms.AggregateUserDaily.LegsCoder;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The streaming job's {@code user_daily}: each open day's running rows every pane interval, each day's final rows
 * once it closes. The batch job's rule ({@link AggregateUserDaily#summarize}: trips, distance, total, first pickup, last
 * dropoff, journeys, distinct zones), kept in state instead of windows.
 *
 * <p>Input: valid unique {@link Trip}s in the global window, stamped with their pickup; trips without a user id are
 * skipped. Outputs: {@link #RUNNING}, {@code pane interval} after a user-day's first new trip, the summary of every
 * user-day that got trips since (processing time); {@link #CLOSED}, when the watermark reaches the New York day's
 * end plus the allowed lateness, the summary of every user-day of that day, stamped just before the day's end (so a
 * {@link TripDays} window puts it in its day). State per pickup day and bucket of user ids ({@value #BUCKETS} a day):
 * the legs of each user-day in a {@code MapState}, the users touched since the last running pane, one processing-time
 * timer while a pane is pending and one event-time timer for the day's close, after which the key's state is cleared.
 * Why not Beam windows with early firings per user-day: a trigger, its timers and a combining state per user-day made
 * that step half of the job's CPU (JFR, docs/streaming-notes.md).
 */
public final class AggregateUserDailyStream extends PTransform<PCollection<Trip>, PCollectionTuple> {
  public static final TupleTag<UserDaily> RUNNING = new TupleTag<>() {};
  public static final TupleTag<UserDaily> CLOSED = new TupleTag<>() {};
  static final int BUCKETS = 256;

  private final Duration lateness;
  private final Duration paneInterval;

  private AggregateUserDailyStream(Duration lateness, Duration paneInterval) {
    this.lateness = lateness;
    this.paneInterval = paneInterval;
  }

  /** Running rows every {@code paneInterval}, final rows when a day closes ({@code lateness} after its end). */
  public static AggregateUserDailyStream of(Duration lateness, Duration paneInterval) {
    return new AggregateUserDailyStream(lateness, paneInterval);
  }

  @Override
  public PCollectionTuple expand(PCollection<Trip> trips) {
    Coder<UserDaily> coder;
    try {
      coder = trips.getPipeline().getSchemaRegistry().getSchemaCoder(UserDaily.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    PCollectionTuple out =
        trips
            .apply("KeepTripsWithUser", Filter.by((Trip t) -> t.getUserId() != null))
            .apply(
                "KeyByDayAndUserBucket",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.longs(),
                            TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Legs.class))))
                    .via((Trip t) -> KV.of(key(t), KV.of(t.getUserId(), Legs.of(t)))))
            .setCoder(KvCoder.of(VarLongCoder.of(), KvCoder.of(StringUtf8Coder.of(), new LegsCoder())))
            .apply(
                "SummarizeUserDays",
                ParDo.of(new RunningFn(lateness, paneInterval, AggregateUserDaily.DEFAULT_JOURNEY_GAP_MICROS))
                    .withOutputTags(RUNNING, TupleTagList.of(CLOSED)));
    out.get(RUNNING).setCoder(coder);
    out.get(CLOSED).setCoder(coder);
    return out;
  }

  static long key(Trip trip) {
    return (long) trip.getPickupEpochDay() * BUCKETS + GroupByBucket.bucketOf(trip.getUserId().hashCode()) % BUCKETS;
  }

  private static final class RunningFn extends DoFn<KV<Long, KV<String, Legs>>, UserDaily> {
    private final Duration lateness;
    private final Duration paneInterval;
    private final long gap;

    @StateId("legs")
    private final StateSpec<MapState<String, Legs>> legsSpec = StateSpecs.map(StringUtf8Coder.of(), new LegsCoder());

    @StateId("touched")
    private final StateSpec<BagState<String>> touchedSpec = StateSpecs.bag(StringUtf8Coder.of());

    @StateId("pending")
    private final StateSpec<ValueState<Boolean>> pendingSpec = StateSpecs.value();

    @TimerId("pane")
    private final TimerSpec paneSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    @TimerId("close")
    private final TimerSpec closeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    RunningFn(Duration lateness, Duration paneInterval, long gap) {
      this.lateness = lateness;
      this.paneInterval = paneInterval;
      this.gap = gap;
    }

    @ProcessElement
    public void process(
        @Element KV<Long, KV<String, Legs>> element,
        @StateId("legs") MapState<String, Legs> legs,
        @StateId("touched") BagState<String> touched,
        @StateId("pending") ValueState<Boolean> pending,
        @TimerId("pane") Timer pane,
        @TimerId("close") Timer close) {
      String user = element.getValue().getKey();
      Legs sum = legs.get(user).read();
      if (sum == null) {
        sum = Legs.empty(2);
      }
      sum.addAll(element.getValue().getValue());
      legs.put(user, sum);
      touched.add(user);
      if (pending.read() == null) {
        pending.write(true);
        pane.offset(paneInterval).setRelative();
        long dayEnd = TripDays.dayStartMillis(day(element.getKey()) + 1);
        close.withOutputTimestamp(new Instant(dayEnd - 1)).set(new Instant(dayEnd).plus(lateness));
      }
    }

    @OnTimer("pane")
    public void onPane(
        OnTimerContext c,
        @Key Long key,
        @StateId("legs") MapState<String, Legs> legs,
        @StateId("touched") BagState<String> touched,
        @StateId("pending") ValueState<Boolean> pending) {
      Set<String> users = new LinkedHashSet<>();
      touched.read().forEach(users::add);
      String date = java.time.LocalDate.ofEpochDay(day(key)).toString();
      for (String user : users) {
        Legs sum = legs.get(user).read();
        if (sum != null) {
          c.output(RUNNING, AggregateUserDaily.summarize(user, date, sum, gap));
        }
      }
      touched.clear();
      pending.clear();
    }

    @OnTimer("close")
    public void onClose(
        OnTimerContext c,
        @Key Long key,
        @StateId("legs") MapState<String, Legs> legs,
        @StateId("touched") BagState<String> touched,
        @StateId("pending") ValueState<Boolean> pending) {
      String date = java.time.LocalDate.ofEpochDay(day(key)).toString();
      for (Map.Entry<String, Legs> user : legs.entries().read()) {
        c.output(CLOSED, AggregateUserDaily.summarize(user.getKey(), date, user.getValue(), gap));
      }
      legs.clear();
      touched.clear();
      pending.clear();
    }

    private static int day(long key) {
      return (int) Math.floorDiv(key, (long) BUCKETS);
    }
  }
}
