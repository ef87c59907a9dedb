package dev.tripbeam.transforms;

import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.ZoneDaily;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Aggregates trips per pickup local date and pickup zone.
 *
 * <p>Input: valid unique {@link EnrichedTrip}s. Output: one {@link ZoneDaily} per (pickup date, pickup zone).
 * Each bundle sums its trips per zone-day in memory; the partial sums are combined per key. Sums are exact and
 * order-independent (distance is summed in micro-miles, durations in microseconds), so every runner produces
 * identical rows whatever the bundles and the combine order.
 */
public final class AggregateZoneDaily extends PTransform<PCollection<EnrichedTrip>, PCollection<ZoneDaily>> {
  private AggregateZoneDaily() {}

  public static AggregateZoneDaily of() {
    return new AggregateZoneDaily();
  }

  @Override
  public PCollection<ZoneDaily> expand(PCollection<EnrichedTrip> trips) {
    return trips
        .apply("SumZoneDaysPerBundle", ParDo.of(new PartialSumsFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), new SumsCoder()))
        .apply("SumZoneDays", Combine.perKey(new MergeFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), zoneDailyCoder(trips)))
        .apply(
            "ToZoneDaily",
            MapElements.into(TypeDescriptor.of(ZoneDaily.class)).via(kv -> kv.getValue()))
        .setCoder(zoneDailyCoder(trips));
  }

  /**
   * Sums each bundle's trips per zone-day in memory (a few thousand keys) and emits the partial sums when the bundle
   * ends: the trips are neither sorted nor serialized for a combine before the shuffle, only the partial sums are.
   */
  static final class PartialSumsFn extends DoFn<EnrichedTrip, KV<String, Sums>> {
    private transient Map<BoundedWindow, Map<Long, Sums>> sums;

    @StartBundle
    public void start() {
      sums = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element EnrichedTrip trip, BoundedWindow window) {
      long key = trip.getTrip().getPickupEpochDay() * 100_000L + trip.getTrip().getPuZoneId();
      sums.computeIfAbsent(window, w -> new HashMap<>()).computeIfAbsent(key, k -> new Sums()).add(trip);
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      for (Map.Entry<BoundedWindow, Map<Long, Sums>> perWindow : sums.entrySet()) {
        BoundedWindow window = perWindow.getKey();
        for (Sums s : perWindow.getValue().values()) {
          c.output(KV.of(s.pickupDate + '|' + s.zoneId, s), window.maxTimestamp(), window);
        }
      }
      sums = null;
    }
  }

  private static Coder<ZoneDaily> zoneDailyCoder(PCollection<?> any) {
    try {
      return any.getPipeline().getSchemaRegistry().getSchemaCoder(ZoneDaily.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Mutable accumulator of one zone-day. */
  static final class Sums {
    String pickupDate = "";
    int zoneId;
    String borough = "";
    String zone = "";
    long trips;
    long passengers;
    long distanceMicroMiles;
    long fareCents;
    long tipCents;
    long totalCents;
    long durationMicros;

    void add(EnrichedTrip e) {
      Trip t = e.getTrip();
      if (trips == 0) {
        pickupDate = e.getPickupDate();
        zoneId = t.getPuZoneId();
        borough = e.getPuBorough();
        zone = e.getPuZone();
      }
      trips++;
      passengers += t.getPassengerCount() == null ? 0 : t.getPassengerCount();
      distanceMicroMiles += Math.round(t.getDistanceMiles() * 1_000_000.0);
      fareCents += t.getFareCents();
      tipCents += t.getTipCents();
      totalCents += t.getTotalCents();
      durationMicros += t.getDurationMicros();
    }

    void merge(Sums o) {
      if (o.trips == 0) {
        return;
      }
      if (trips == 0) {
        pickupDate = o.pickupDate;
        zoneId = o.zoneId;
        borough = o.borough;
        zone = o.zone;
      }
      trips += o.trips;
      passengers += o.passengers;
      distanceMicroMiles += o.distanceMicroMiles;
      fareCents += o.fareCents;
      tipCents += o.tipCents;
      totalCents += o.totalCents;
      durationMicros += o.durationMicros;
    }

    ZoneDaily toZoneDaily() {
      return ZoneDaily.builder()
          .setPickupDate(pickupDate)
          .setPuZoneId(zoneId)
          .setBorough(borough)
          .setZone(zone)
          .setTrips(trips)
          .setPassengers(passengers)
          .setDistanceMiles(distanceMicroMiles / 1_000_000.0)
          .setFareCents(fareCents)
          .setTipCents(tipCents)
          .setTotalCents(totalCents)
          .setAvgDurationS(durationMicros / 1_000_000.0 / trips)
          .build();
    }
  }

  /** Merges partial sums of one zone-day into its row. */
  static final class MergeFn extends Combine.CombineFn<Sums, Sums, ZoneDaily> {
    @Override
    public Sums createAccumulator() {
      return new Sums();
    }

    @Override
    public Sums addInput(Sums acc, Sums input) {
      acc.merge(input);
      return acc;
    }

    @Override
    public Sums mergeAccumulators(Iterable<Sums> accumulators) {
      Sums merged = new Sums();
      for (Sums s : accumulators) {
        merged.merge(s);
      }
      return merged;
    }

    @Override
    public ZoneDaily extractOutput(Sums acc) {
      return acc.toZoneDaily();
    }

    @Override
    public Coder<Sums> getAccumulatorCoder(CoderRegistry registry, Coder<Sums> inputCoder) {
      return new SumsCoder();
    }
  }

  static final class SumsCoder extends DataCoder<Sums> {
    private static final long serialVersionUID = 1L;

    @Override
    void write(Sums s, DataOutputStream d) throws IOException {
      d.writeUTF(s.pickupDate);
      d.writeInt(s.zoneId);
      d.writeUTF(s.borough);
      d.writeUTF(s.zone);
      d.writeLong(s.trips);
      d.writeLong(s.passengers);
      d.writeLong(s.distanceMicroMiles);
      d.writeLong(s.fareCents);
      d.writeLong(s.tipCents);
      d.writeLong(s.totalCents);
      d.writeLong(s.durationMicros);
    }

    @Override
    Sums read(ValueInput d) throws IOException {
      Sums s = new Sums();
      s.pickupDate = d.readUTF();
      s.zoneId = d.readInt();
      s.borough = d.readUTF();
      s.zone = d.readUTF();
      s.trips = d.readLong();
      s.passengers = d.readLong();
      s.distanceMicroMiles = d.readLong();
      s.fareCents = d.readLong();
      s.tipCents = d.readLong();
      s.totalCents = d.readLong();
      s.durationMicros = d.readLong();
      return s;
    }
  }
}
