package dev.tripbeam.io;

import static dev.tripbeam.io.DirectColumns.doubles;
import static dev.tripbeam.io.DirectColumns.ints;
import static dev.tripbeam.io.DirectColumns.longs;
import static dev.tripbeam.io.DirectColumns.optionalInts;
import static dev.tripbeam.io.DirectColumns.optionalString;
import static dev.tripbeam.io.DirectColumns.repeatedString;
import static dev.tripbeam.io.DirectColumns.string;

import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.NewYorkTime;
import dev.tripbeam.model.UserDaily;

/**
 * The direct columns of the zones written per trip or per user-day, in the order and types of their Avro schemas in
 * {@link AvroRecords} (checked when a layout is made).
 */
final class ZoneColumns {
  private ZoneColumns() {}

  static DirectColumns<EnrichedTrip> processedTrips() {
    return DirectColumns.of(
        string("trip_id", e -> e.getTrip().getTripId()),
        string("source", e -> e.getTrip().getSource()),
        optionalInts("vendor_id", e -> e.getTrip().getVendorId()),
        longs("pickup_datetime", e -> e.getTrip().getPickupMicros()),
        longs("dropoff_datetime", e -> e.getTrip().getDropoffMicros()),
        longs("pickup_local_datetime", e -> NewYorkTime.localMicros(e.getTrip().getPickupMicros())),
        longs("dropoff_local_datetime", e -> NewYorkTime.localMicros(e.getTrip().getDropoffMicros())),
        ints("pickup_date", e -> e.getTrip().getPickupEpochDay()),
        ints("pu_zone_id", e -> e.getTrip().getPuZoneId()),
        repeatedString("pu_borough", EnrichedTrip::getPuBorough),
        repeatedString("pu_zone", EnrichedTrip::getPuZone),
        ints("do_zone_id", e -> e.getTrip().getDoZoneId()),
        repeatedString("do_borough", EnrichedTrip::getDoBorough),
        repeatedString("do_zone", EnrichedTrip::getDoZone),
        optionalInts("passenger_count", e -> e.getTrip().getPassengerCount()),
        doubles("trip_distance", e -> e.getTrip().getDistanceMiles()),
        longs("fare_cents", e -> e.getTrip().getFareCents()),
        longs("tip_cents", e -> e.getTrip().getTipCents()),
        longs("tolls_cents", e -> e.getTrip().getTollsCents()),
        longs("total_cents", e -> e.getTrip().getTotalCents()),
        optionalInts("payment_type", e -> e.getTrip().getPaymentType()),
        optionalString("user_id", e -> e.getTrip().getUserId()),
        string("source_file", e -> e.getTrip().getSourceFile()),
        longs("source_row", e -> e.getTrip().getSourceRow()));
  }

  static DirectColumns<UserDaily> userDaily() {
    return DirectColumns.of(
        string("user_id", UserDaily::getUserId),
        ints("pickup_date", u -> AvroRecords.epochDay(u.getPickupDate())),
        longs("trips", UserDaily::getTrips),
        doubles("distance_miles", UserDaily::getDistanceMiles),
        longs("total_cents", UserDaily::getTotalCents),
        longs("first_pickup_ts", UserDaily::getFirstPickupMicros),
        longs("last_dropoff_ts", UserDaily::getLastDropoffMicros),
        longs("journeys", UserDaily::getJourneys),
        longs("distinct_zones", UserDaily::getDistinctZones));
  }
}
