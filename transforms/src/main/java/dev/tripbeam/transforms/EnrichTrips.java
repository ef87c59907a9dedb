package dev.tripbeam.transforms;

import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.Zone;
import java.util.Collection;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Joins each trip with the zone table.
 *
 * <p>Input: valid {@link Trip}s (their zones are known: validation rejected unknown ones). Output:
 * {@link EnrichedTrip}s with pickup and dropoff borough and zone names. Option: the zone table, fixed when the graph
 * is built (265 rows; as a side input it would keep Flink from chaining this step to its input).
 */
public final class EnrichTrips extends PTransform<PCollection<Trip>, PCollection<EnrichedTrip>> {
  private final Zone[] byId;

  private EnrichTrips(Zone[] byId) {
    this.byId = byId;
  }

  public static EnrichTrips of(Collection<Zone> zones) {
    return new EnrichTrips(Zone.byLocationId(zones));
  }

  @Override
  public PCollection<EnrichedTrip> expand(PCollection<Trip> trips) {
    return trips.apply("JoinZoneNames", ParDo.of(new JoinFn(byId))).setCoder(TripCoders.enrichedTrip());
  }

  private static final class JoinFn extends DoFn<Trip, EnrichedTrip> {
    private final Zone[] byId;

    JoinFn(Zone[] byId) {
      this.byId = byId;
    }

    @ProcessElement
    public void process(@Element Trip trip, OutputReceiver<EnrichedTrip> out) {
      Zone pickup = Zone.lookup(byId, trip.getPuZoneId());
      Zone dropoff = Zone.lookup(byId, trip.getDoZoneId());
      if (pickup == null || dropoff == null) {
        throw new IllegalStateException(
            "trip " + trip.getTripId() + " has a zone missing from the zone table; ValidateTrips must run first");
      }
      out.output(EnrichedTrip.of(trip, pickup, dropoff));
    }
  }
}
