package dev.tripbeam.transforms;

import java.nio.charset.StandardCharsets;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The deduplication key of a TLC trip and the trip id derived from it: trips equal on (source, vendor, pickup,
 * dropoff, pickup zone, dropoff zone, distance, total) are one trip. Pickup and dropoff enter as their reading's
 * text ({@code 2021-01-01T00:30:10}), with the resolved offset appended when the New York reading was ambiguous
 * ({@code 2021-11-07T01:30-05:00}), so trips at the two 01:30s of a fall-back night get distinct ids.
 */
public final class TripKeys {
  private TripKeys() {}

  public static String tripId(
      String source,
      @Nullable Integer vendor,
      String pickup,
      String dropoff,
      int puZone,
      int doZone,
      double distanceMiles,
      long totalCents) {
    String key =
        source + '|' + vendor + '|' + pickup + '|' + dropoff + '|' + puZone + '|' + doZone + '|'
            + Double.toString(distanceMiles) + '|' + totalCents;
    return Hashing.murmur3_128().hashString(key, StandardCharsets.UTF_8).toString();
  }
}
