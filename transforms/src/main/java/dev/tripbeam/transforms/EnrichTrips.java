package dev.tripbeam.transforms;

import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.Zone;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Joins each trip with the zone table.
 *
 * <p>Input: valid {@link Trip}s (their zones are known: validation rejected unknown ones). Output:
 * {@link EnrichedTrip}s with pickup and dropoff borough and zone names. Side input: the zone table by location id.
 */
public final class EnrichTrips extends PTransform<PCollection<Trip>, PCollection<EnrichedTrip>> {
  private final PCollectionView<Map<Integer, Zone>> zones;

  private EnrichTrips(PCollectionView<Map<Integer, Zone>> zones) {
    this.zones = zones;
  }

  public static EnrichTrips of(PCollectionView<Map<Integer, Zone>> zones) {
    return new EnrichTrips(zones);
  }

  @Override
  public PCollection<EnrichedTrip> expand(PCollection<Trip> trips) {
    return trips
        .apply("JoinZoneNames", ParDo.of(new JoinFn(zones)).withSideInputs(zones))
        .setCoder(TripCoders.enrichedTrip());
  }

  private static final class JoinFn extends DoFn<Trip, EnrichedTrip> {
    private final PCollectionView<Map<Integer, Zone>> zones;

    JoinFn(PCollectionView<Map<Integer, Zone>> zones) {
      this.zones = zones;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Trip trip = c.element();
      Map<Integer, Zone> table = c.sideInput(zones);
      Zone pickup = table.get(trip.getPuZoneId());
      Zone dropoff = table.get(trip.getDoZoneId());
      if (pickup == null || dropoff == null) {
        throw new IllegalStateException(
            "trip " + trip.getTripId() + " has a zone missing from the zone table; ValidateTrips must run first");
      }
      c.output(EnrichedTrip.of(trip, pickup, dropoff));
    }
  }
}
