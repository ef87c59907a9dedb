package dev.tripbeam.transforms;

import dev.tripbeam.model.Trip;
import dev.tripbeam.model.UserDaily;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Aggregates each user's trips per pickup date.
 *
 * <p>Input: valid unique {@link Trip}s; trips without a user id (TLC) are skipped. Output: one {@link UserDaily} per
 * (user, pickup date) with trips, distance, total, first pickup, last dropoff, journeys and distinct zones. Option:
 * the journey gap (default 30 minutes): in pickup order, a trip whose pickup is at most that long after the previous
 * trip's dropoff continues the journey. The legs of a user-day meet in its bucket ({@link GroupByBucket}); the result
 * does not depend on the order trips arrive in. The streaming job keeps the legs in state instead ({@link
 * AggregateUserDailyStream}) and summarizes them with {@link #summarize}.
 */
public final class AggregateUserDaily extends PTransform<PCollection<Trip>, PCollection<UserDaily>> {
  public static final long DEFAULT_JOURNEY_GAP_MICROS = 30 * 60 * 1_000_000L;

  private final long journeyGapMicros;

  private AggregateUserDaily(long journeyGapMicros) {
    this.journeyGapMicros = journeyGapMicros;
  }

  public static AggregateUserDaily of() {
    return new AggregateUserDaily(DEFAULT_JOURNEY_GAP_MICROS);
  }

  @Override
  public PCollection<UserDaily> expand(PCollection<Trip> trips) {
    long gap = journeyGapMicros;
    Coder<UserDaily> coder;
    try {
      coder = trips.getPipeline().getSchemaRegistry().getSchemaCoder(UserDaily.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    PCollection<KV<String, Legs>> legs =
        trips
            .apply("KeepTripsWithUser", Filter.by((Trip t) -> t.getUserId() != null))
            .apply(
                "KeyByUserDay",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Legs.class)))
                    .via((Trip t) -> KV.of(t.getUserId() + '|' + t.getPickupDate(), Legs.of(t))))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), new LegsCoder()));
    return legs
        .apply(
            "GroupByUserDayBucket",
            GroupByBucket.of((KV<String, Legs> kv) -> kv.getKey().hashCode(),
                KvCoder.of(StringUtf8Coder.of(), new LegsCoder())))
        .apply("SummarizeUserDays", ParDo.of(new SummarizeFn(gap)))
        .setCoder(coder);
  }

  /** Columns of a user-day's trips: pickup, dropoff, pickup zone, dropoff zone, micro-miles, total cents. */
  static final class Legs {
    long[] pickup;
    long[] dropoff;
    int[] pu;
    int[] dO;
    long[] microMiles;
    long[] totalCents;
    int size;

    static Legs empty(int capacity) {
      Legs l = new Legs();
      l.pickup = new long[capacity];
      l.dropoff = new long[capacity];
      l.pu = new int[capacity];
      l.dO = new int[capacity];
      l.microMiles = new long[capacity];
      l.totalCents = new long[capacity];
      return l;
    }

    static Legs of(Trip t) {
      Legs l = empty(1);
      l.add(t.getPickupMicros(), t.getDropoffMicros(), t.getPuZoneId(), t.getDoZoneId(),
          Math.round(t.getDistanceMiles() * 1_000_000.0), t.getTotalCents());
      return l;
    }

    void add(long p, long d, int from, int to, long miles, long total) {
      if (size == pickup.length) {
        int n = Math.max(4, size * 2);
        pickup = Arrays.copyOf(pickup, n);
        dropoff = Arrays.copyOf(dropoff, n);
        pu = Arrays.copyOf(pu, n);
        dO = Arrays.copyOf(dO, n);
        microMiles = Arrays.copyOf(microMiles, n);
        totalCents = Arrays.copyOf(totalCents, n);
      }
      pickup[size] = p;
      dropoff[size] = d;
      pu[size] = from;
      dO[size] = to;
      microMiles[size] = miles;
      totalCents[size] = total;
      size++;
    }

    void addAll(Legs o) {
      for (int i = 0; i < o.size; i++) {
        add(o.pickup[i], o.dropoff[i], o.pu[i], o.dO[i], o.microMiles[i], o.totalCents[i]);
      }
    }
  }

  /** Gathers the legs of each user-day of one bucket and summarizes every user-day. */
  static final class SummarizeFn extends DoFn<KV<Integer, Iterable<List<KV<String, Legs>>>>, UserDaily> {
    private final long gap;

    SummarizeFn(long gap) {
      this.gap = gap;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<List<KV<String, Legs>>>> bucket, OutputReceiver<UserDaily> out) {
      Map<String, Legs> days = new HashMap<>();
      for (List<KV<String, Legs>> batch : bucket.getValue()) {
        for (KV<String, Legs> leg : batch) {
          days.computeIfAbsent(leg.getKey(), k -> Legs.empty(2)).addAll(leg.getValue());
        }
      }
      for (Map.Entry<String, Legs> day : days.entrySet()) {
        int bar = day.getKey().lastIndexOf('|');
        out.output(summarize(day.getKey().substring(0, bar), day.getKey().substring(bar + 1), day.getValue(), gap));
      }
    }
  }

  static final class LegsCoder extends DataCoder<Legs> {
    private static final long serialVersionUID = 1L;

    @Override
    void write(Legs l, DataOutputStream d) throws IOException {
      d.writeInt(l.size);
      for (int i = 0; i < l.size; i++) {
        d.writeLong(l.pickup[i]);
        d.writeLong(l.dropoff[i]);
        d.writeInt(l.pu[i]);
        d.writeInt(l.dO[i]);
        d.writeLong(l.microMiles[i]);
        d.writeLong(l.totalCents[i]);
      }
    }

    @Override
    Legs read(ValueInput d) throws IOException {
      int n = d.readInt();
      Legs l = Legs.empty(Math.max(1, n));
      for (int i = 0; i < n; i++) {
        l.add(d.readLong(), d.readLong(), d.readInt(), d.readInt(), d.readLong(), d.readLong());
      }
      return l;
    }
  }

  /** The summary of one user-day; the legs are sorted by pickup (then dropoff) first. */
  static UserDaily summarize(String userId, String pickupDate, Legs legs, long gap) {
    Integer[] order = new Integer[legs.size];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            legs.pickup[a] != legs.pickup[b]
                ? Long.compare(legs.pickup[a], legs.pickup[b])
                : Long.compare(legs.dropoff[a], legs.dropoff[b]));
    long journeys = 0;
    long microMiles = 0;
    long total = 0;
    long lastDropoff = Long.MIN_VALUE;
    Set<Integer> zones = new HashSet<>();
    for (int k = 0; k < order.length; k++) {
      int i = order[k];
      if (k == 0 || legs.pickup[i] - legs.dropoff[order[k - 1]] > gap) {
        journeys++;
      }
      microMiles += legs.microMiles[i];
      total += legs.totalCents[i];
      lastDropoff = Math.max(lastDropoff, legs.dropoff[i]);
      zones.add(legs.pu[i]);
      zones.add(legs.dO[i]);
    }
    return UserDaily.builder()
        .setUserId(userId)
        .setPickupDate(pickupDate)
        .setTrips(legs.size)
        .setDistanceMiles(microMiles / 1_000_000.0)
        .setTotalCents(total)
        .setFirstPickupMicros(legs.pickup[order[0]])
        .setLastDropoffMicros(lastDropoff)
        .setJourneys(journeys)
        .setDistinctZones(zones.size())
        .build();
  }
}
