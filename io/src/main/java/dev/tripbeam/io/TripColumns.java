package dev.tripbeam.io;

import dev.tripbeam.model.RawTrip;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The canonical trip fields and the column names each has in the layouts tripbeam reads: the official TLC yellow and
 * green schemas (CSV and Parquet), the snake_case variant of the TLC samples, and the app's own format
 * ({@code trip_id}, {@code user_id}, UTC {@code pickup_ts}, amounts in cents; see docs/app-format.md).
 */
public enum TripColumns {
  TRIP_ID(RawTrip.Builder::setTripId, Layout.APP, "trip_id"),
  USER_ID(RawTrip.Builder::setUserId, Layout.APP, "user_id"),
  VENDOR(RawTrip.Builder::setVendorId, Layout.TLC, "vendorid", "vendor_id"),
  PICKUP(RawTrip.Builder::setPickup, null, "tpep_pickup_datetime", "lpep_pickup_datetime", "pickup_datetime",
      "pickup_ts"),
  DROPOFF(RawTrip.Builder::setDropoff, null, "tpep_dropoff_datetime", "lpep_dropoff_datetime", "dropoff_datetime",
      "dropoff_ts"),
  PASSENGERS(RawTrip.Builder::setPassengerCount, null, "passenger_count"),
  DISTANCE(RawTrip.Builder::setDistanceMiles, null, "trip_distance", "distance_miles"),
  PU_ZONE(RawTrip.Builder::setPuZoneId, null, "pulocationid", "pickup_location_id", "pu_zone_id"),
  DO_ZONE(RawTrip.Builder::setDoZoneId, null, "dolocationid", "dropoff_location_id", "do_zone_id"),
  FARE(RawTrip.Builder::setFare, null, "fare_amount", "fare_cents"),
  TIP(RawTrip.Builder::setTip, null, "tip_amount", "tip_cents"),
  TOLLS(RawTrip.Builder::setTolls, null, "tolls_amount", "tolls_cents"),
  TOTAL(RawTrip.Builder::setTotal, null, "total_amount", "total_cents"),
  PAYMENT(RawTrip.Builder::setPaymentType, null, "payment_type");

  /** The two families of layouts; a column bound to one is neither required nor read in the other. */
  enum Layout {
    TLC,
    APP
  }

  private final BiConsumer<RawTrip.Builder, String> setter;
  private final Layout only;
  private final String[] names;

  TripColumns(BiConsumer<RawTrip.Builder, String> setter, Layout only, String... names) {
    this.setter = setter;
    this.only = only;
    this.names = names;
  }

  void set(RawTrip.Builder builder, String value) {
    setter.accept(builder, value);
  }

  /** The names this column has in JSON lines (the app layout's name). */
  String appName() {
    return names[names.length - 1];
  }

  static boolean isApp(List<String> header) {
    Set<String> lower = new HashSet<>();
    header.forEach(h -> lower.add(h.trim().toLowerCase(Locale.ROOT)));
    return lower.contains("trip_id") && lower.contains("user_id");
  }

  /**
   * Positions of the canonical fields in a header, matched case-insensitively; -1 for a column of the other layout.
   *
   * @throws UnreadableFileException when a field of the header's layout has no column
   */
  static int[] locate(List<String> header) throws UnreadableFileException {
    Layout layout = isApp(header) ? Layout.APP : Layout.TLC;
    Map<String, Integer> byName = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      byName.putIfAbsent(header.get(i).trim().toLowerCase(Locale.ROOT), i);
    }
    int[] positions = new int[values().length];
    List<String> missing = new ArrayList<>();
    for (TripColumns column : values()) {
      positions[column.ordinal()] = -1;
      if (column.only != null && column.only != layout) {
        continue;
      }
      Integer position = null;
      for (String name : column.names) {
        position = byName.get(name);
        if (position != null) {
          break;
        }
      }
      if (position == null) {
        missing.add(layout == Layout.APP ? column.appName() : column.names[0]);
      } else {
        positions[column.ordinal()] = position;
      }
    }
    if (!missing.isEmpty()) {
      throw new UnreadableFileException(
          "missing required " + layout.name().toLowerCase(Locale.ROOT) + " columns " + missing + " in header "
              + header);
    }
    return positions;
  }

  /** {@code app}, {@code green} (lpep_ columns or a file named green) or {@code yellow}. */
  static String sourceOf(List<String> header, String fileName) {
    if (isApp(header)) {
      return "app";
    }
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
