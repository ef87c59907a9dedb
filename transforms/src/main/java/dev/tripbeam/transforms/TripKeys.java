package dev.tripbeam.transforms;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The deduplication key of a TLC trip and the trip id derived from it: trips equal on (source, vendor, pickup,
 * dropoff, pickup zone, dropoff zone, distance, total) are one trip.
 */
public final class TripKeys {
  private TripKeys() {}

  public static String tripId(
      String source,
      @Nullable Integer vendor,
      LocalDateTime pickup,
      LocalDateTime dropoff,
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
