package dev.tripbeam.transforms;

import dev.tripbeam.model.RawTrip;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The fields of one raw record as the rules read them: typed, amounts in integer cents. Made from a record's text
 * ({@link #parse}) or by a reader of typed files straight from the file's values, which must give what {@link #parse}
 * gives for the values' text.
 */
public record TripValues(
    @Nullable Integer vendor,
    TripFields.@Nullable Reading pickup,
    TripFields.@Nullable Reading dropoff,
    @Nullable Integer passengers,
    @Nullable Integer puZone,
    @Nullable Integer doZone,
    @Nullable Integer payment,
    double distance,
    long fare,
    long tip,
    long tolls,
    long total) {

  /** Whether the record's amounts are integer cents (the app format) rather than dollars (TLC). */
  public static boolean amountsInCents(RawTrip raw) {
    return "app".equals(raw.getSource());
  }

  /** The values of a record's text. */
  public static TripValues parse(RawTrip raw) throws TripFields.BadFieldException {
    boolean inCents = amountsInCents(raw);
    Integer vendor = TripFields.parseInt("vendor_id", raw.getVendorId());
    TripFields.Reading pickup = TripFields.parseTime("pickup", raw.getPickup());
    TripFields.Reading dropoff = TripFields.parseTime("dropoff", raw.getDropoff());
    Integer passengers = TripFields.parseInt("passenger_count", raw.getPassengerCount());
    double distance = TripFields.requireDouble("trip_distance", raw.getDistanceMiles());
    Integer puZone = TripFields.parseInt("pu_zone_id", raw.getPuZoneId());
    Integer doZone = TripFields.parseInt("do_zone_id", raw.getDoZoneId());
    long fare = amount("fare", raw.getFare(), inCents);
    long tip = amount("tip", raw.getTip(), inCents);
    long tolls = amount("tolls", raw.getTolls(), inCents);
    long total = amount("total", raw.getTotal(), inCents);
    Integer payment = TripFields.parseInt("payment_type", raw.getPaymentType());
    return new TripValues(
        vendor, pickup, dropoff, passengers, puZone, doZone, payment, distance, fare, tip, tolls, total);
  }

  /** An amount in integer cents: the app's cents as they are, TLC dollars rounded half away from zero. */
  private static long amount(String field, @Nullable String text, boolean inCents)
      throws TripFields.BadFieldException {
    return inCents ? TripFields.requireCents(field, text) : TripFields.requireDollarsAsCents(field, text);
  }
}
