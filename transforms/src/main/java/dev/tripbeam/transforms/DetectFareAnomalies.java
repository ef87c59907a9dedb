package dev.tripbeam.transforms;

import dev.tripbeam.model.FareAnomaly;
import dev.tripbeam.model.Trip;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Flags trips whose fare per mile is an outlier on their route that day.
 *
 * <p>Input: valid unique {@link Trip}s (any source). Output: a {@link FareAnomaly} per trip of at least
 * {@code minMiles} (default 0.5) on a route-day (pickup zone to dropoff zone, New York pickup date) with at least
 * {@code minTrips} (default 30) such trips, whose robust score {@code |x - median| / (1.4826 * MAD)} exceeds {@code threshold} (default 6). A route
 * whose MAD is 0 flags nothing (the score is undefined). The baseline of a trip is its route's trips of the same
 * pickup date, so the anomalies of a date depend on that date's trips alone and an incremental run recomputes only
 * the dates it touches. Metrics: {@code routes_scored}, {@code anomalies} in
 * namespace {@value #STEP}.
 */
public final class DetectFareAnomalies extends PTransform<PCollection<Trip>, PCollection<FareAnomaly>> {
  public static final String STEP = "DetectFareAnomalies";
  public static final double MAD_TO_SIGMA = 1.4826;

  private final double minMiles;
  private final int minTrips;
  private final double threshold;

  private DetectFareAnomalies(double minMiles, int minTrips, double threshold) {
    this.minMiles = minMiles;
    this.minTrips = minTrips;
    this.threshold = threshold;
  }

  public static DetectFareAnomalies of() {
    return new DetectFareAnomalies(0.5, 30, 6.0);
  }

  public static DetectFareAnomalies of(double minMiles, int minTrips, double threshold) {
    return new DetectFareAnomalies(minMiles, minTrips, threshold);
  }

  @Override
  public PCollection<FareAnomaly> expand(PCollection<Trip> trips) {
    Coder<FareAnomaly> coder;
    try {
      coder = trips.getPipeline().getSchemaRegistry().getSchemaCoder(FareAnomaly.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    return trips
        .apply("KeyFaresByRoute", ParDo.of(new KeyFn(minMiles)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), new RouteFareCoder()))
        .apply(
            "GroupFaresByRouteBucket",
            GroupByBucket.of((KV<String, RouteFare> kv) -> kv.getKey().hashCode(),
                KvCoder.of(StringUtf8Coder.of(), new RouteFareCoder())))
        .apply("ScoreRoutes", ParDo.of(new ScoreFn(minTrips, threshold)))
        .setCoder(coder);
  }

  /** What scoring needs of one trip. */
  static final class RouteFare {
    final String tripId;
    final long pickupMicros;
    final int pu;
    final int dO;
    final double miles;
    final long fareCents;

    RouteFare(String tripId, long pickupMicros, int pu, int dO, double miles, long fareCents) {
      this.tripId = tripId;
      this.pickupMicros = pickupMicros;
      this.pu = pu;
      this.dO = dO;
      this.miles = miles;
      this.fareCents = fareCents;
    }

    double farePerMile() {
      return fareCents / 100.0 / miles;
    }
  }

  private static final class KeyFn extends DoFn<Trip, KV<String, RouteFare>> {
    private final double minMiles;

    KeyFn(double minMiles) {
      this.minMiles = minMiles;
    }

    @ProcessElement
    public void process(@Element Trip t, OutputReceiver<KV<String, RouteFare>> out) {
      if (t.getDistanceMiles() >= minMiles) {
        out.output(
            KV.of(
                t.getPickupEpochDay() + ":" + t.getPuZoneId() + ">" + t.getDoZoneId(),
                new RouteFare(t.getTripId(), t.getPickupMicros(), t.getPuZoneId(), t.getDoZoneId(),
                    t.getDistanceMiles(), t.getFareCents())));
      }
    }
  }

  private static final class ScoreFn extends DoFn<KV<Integer, Iterable<List<KV<String, RouteFare>>>>, FareAnomaly> {
    private final int minTrips;
    private final double threshold;
    private final Counter routesScored = Metrics.counter(STEP, "routes_scored");
    private final Counter anomalies = Metrics.counter(STEP, "anomalies");

    ScoreFn(int minTrips, double threshold) {
      this.minTrips = minTrips;
      this.threshold = threshold;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<List<KV<String, RouteFare>>>> bucket, OutputReceiver<FareAnomaly> out) {
      Map<String, List<RouteFare>> routes = new HashMap<>();
      for (List<KV<String, RouteFare>> batch : bucket.getValue()) {
        for (KV<String, RouteFare> fare : batch) {
          routes.computeIfAbsent(fare.getKey(), r -> new ArrayList<>()).add(fare.getValue());
        }
      }
      for (List<RouteFare> fares : routes.values()) {
        score(fares, out);
      }
    }

    /** Scores one route's fares (in any order: the median, the MAD and each score do not depend on it). */
    private void score(List<RouteFare> fares, OutputReceiver<FareAnomaly> out) {
      if (fares.size() < minTrips) {
        return;
      }
      routesScored.inc();
      double[] x = new double[fares.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = fares.get(i).farePerMile();
      }
      double median = median(x.clone());
      double[] deviations = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        deviations[i] = Math.abs(x[i] - median);
      }
      double mad = median(deviations);
      if (mad == 0) {
        return;
      }
      for (int i = 0; i < x.length; i++) {
        double score = Math.abs(x[i] - median) / (MAD_TO_SIGMA * mad);
        if (score > threshold) {
          RouteFare f = fares.get(i);
          anomalies.inc();
          out.output(
              FareAnomaly.builder()
                  .setTripId(f.tripId)
                  .setPickupDate(dev.tripbeam.model.NewYorkTime.date(f.pickupMicros))
                  .setPuZoneId(f.pu)
                  .setDoZoneId(f.dO)
                  .setDistanceMiles(f.miles)
                  .setFareCents(f.fareCents)
                  .setFarePerMile(x[i])
                  .setRouteMedian(median)
                  .setRouteMad(mad)
                  .setRouteTrips(x.length)
                  .setScore(score)
                  .build());
        }
      }
    }
  }

  /** The median of {@code values} (sorted in place); the mean of the two middle values for an even count. */
  public static double median(double[] values) {
    Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
  }

  static final class RouteFareCoder extends DataCoder<RouteFare> {
    private static final long serialVersionUID = 1L;

    @Override
    void write(RouteFare f, DataOutputStream d) throws IOException {
      d.writeUTF(f.tripId);
      d.writeLong(f.pickupMicros);
      d.writeInt(f.pu);
      d.writeInt(f.dO);
      d.writeDouble(f.miles);
      d.writeLong(f.fareCents);
    }

    @Override
    RouteFare read(ValueInput d) throws IOException {
      return new RouteFare(d.readUTF(), d.readLong(), d.readInt(), d.readInt(), d.readDouble(), d.readLong());
    }
  }
}
