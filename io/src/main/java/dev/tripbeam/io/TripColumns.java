package dev.tripbeam.io;

import dev.tripbeam.model.RawTrip;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The canonical trip fields and the column names each may have in a source file: the official TLC yellow and
 * green schemas (CSV and Parquet) and the snake_case variant of the TLC samples.
 */
public enum TripColumns {
  VENDOR(RawTrip.Builder::setVendorId, "vendorid", "vendor_id"),
  PICKUP(RawTrip.Builder::setPickup, "tpep_pickup_datetime", "lpep_pickup_datetime", "pickup_datetime"),
  DROPOFF(RawTrip.Builder::setDropoff, "tpep_dropoff_datetime", "lpep_dropoff_datetime", "dropoff_datetime"),
  PASSENGERS(RawTrip.Builder::setPassengerCount, "passenger_count"),
  DISTANCE(RawTrip.Builder::setDistanceMiles, "trip_distance"),
  PU_ZONE(RawTrip.Builder::setPuZoneId, "pulocationid", "pickup_location_id"),
  DO_ZONE(RawTrip.Builder::setDoZoneId, "dolocationid", "dropoff_location_id"),
  FARE(RawTrip.Builder::setFare, "fare_amount"),
  TIP(RawTrip.Builder::setTip, "tip_amount"),
  TOLLS(RawTrip.Builder::setTolls, "tolls_amount"),
  TOTAL(RawTrip.Builder::setTotal, "total_amount"),
  PAYMENT(RawTrip.Builder::setPaymentType, "payment_type");

  private final BiConsumer<RawTrip.Builder, String> setter;
  private final String[] names;

  TripColumns(BiConsumer<RawTrip.Builder, String> setter, String... names) {
    this.setter = setter;
    this.names = names;
  }

  void set(RawTrip.Builder builder, String value) {
    setter.accept(builder, value);
  }

  /**
   * Positions of every canonical field in a header, matched case-insensitively.
   *
   * @throws UnreadableFileException when a field has no column
   */
  static int[] locate(List<String> header) throws UnreadableFileException {
    Map<String, Integer> byName = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      byName.putIfAbsent(header.get(i).trim().toLowerCase(Locale.ROOT), i);
    }
    int[] positions = new int[values().length];
    List<String> missing = new ArrayList<>();
    for (TripColumns column : values()) {
      Integer position = null;
      for (String name : column.names) {
        position = byName.get(name);
        if (position != null) {
          break;
        }
      }
      if (position == null) {
        missing.add(column.names[0]);
        positions[column.ordinal()] = -1;
      } else {
        positions[column.ordinal()] = position;
      }
    }
    if (!missing.isEmpty()) {
      throw new UnreadableFileException("missing required columns " + missing + " in header " + header);
    }
    return positions;
  }

  /** {@code green} when the columns are the green (lpep_) schema or the file is named green, else {@code yellow}. */
  static String sourceOf(List<String> header, String fileName) {
    for (String column : header) {
      String c = column.trim().toLowerCase(Locale.ROOT);
      if (c.startsWith("lpep_")) {
        return "green";
      }
      if (c.startsWith("tpep_")) {
        return "yellow";
      }
    }
    return fileName.toLowerCase(Locale.ROOT).contains("green") ? "green" : "yellow";
  }
}
