package dev.tripbeam.transforms;

import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.Zone;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Fixtures: real TLC rows and zones, and a seeded generator of valid trips. */
final class TestTrips {
  /** The first data row of yellow_tripdata_2021-01.csv (NYC TLC). */
  static final String YELLOW_ROW =
      "1,2021-01-01 00:30:10,2021-01-01 00:36:12,1,2.10,1,N,142,43,2,8,3,0.5,0,0,0.3,11.8,2.5";

  static final List<Zone> ZONES =
      List.of(
          Zone.of(43, "Manhattan", "Central Park", "Yellow Zone"),
          Zone.of(132, "Queens", "JFK Airport", "Airports"),
          Zone.of(138, "Queens", "LaGuardia Airport", "Airports"),
          Zone.of(142, "Manhattan", "Lincoln Square East", "Yellow Zone"),
          Zone.of(236, "Manhattan", "Upper East Side North", "Yellow Zone"),
          Zone.of(264, "Unknown", "NV", "N/A"),
          Zone.of(265, "Unknown", "NA", "N/A"));

  private TestTrips() {}

  /**
   * The first row of the bundled app sample (tests/data/app) as the JSON lines reader emits it, its zones moved to two
   * of {@link #ZONES} (Lincoln Square East to Central Park).
   */
  static RawTrip.Builder appRaw() {
    return RawTrip.builder()
        .setSourceFile("app_trips_2024-03-04.jsonl.gz")
        .setRowNumber(1)
        .setSource("app")
        .setRaw("{\"trip_id\":\"7381876ebebfc52a\",\"user_id\":\"u000000000\"}")
        .setTripId("7381876ebebfc52a")
        .setUserId("u000000000")
        .setPickup("2024-03-04T15:11:23Z")
        .setDropoff("2024-03-04T15:14:46Z")
        .setPassengerCount("2")
        .setDistanceMiles("0.55")
        .setPuZoneId("142")
        .setDoZoneId("43")
        .setPaymentType("1")
        .setFare("461")
        .setTip("23")
        .setTolls("0")
        .setTotal("814");
  }

  /** {@link #YELLOW_ROW} as the reader emits it. */
  static RawTrip.Builder yellowRaw() {
    return RawTrip.builder()
        .setSourceFile("yellow_tripdata_2021-01.head.csv")
        .setRowNumber(1)
        .setSource("yellow")
        .setRaw(YELLOW_ROW)
        .setVendorId("1")
        .setPickup("2021-01-01 00:30:10")
        .setDropoff("2021-01-01 00:36:12")
        .setPassengerCount("1")
        .setDistanceMiles("2.10")
        .setPuZoneId("142")
        .setDoZoneId("43")
        .setPaymentType("2")
        .setFare("8")
        .setTip("0")
        .setTolls("0")
        .setTotal("11.8");
  }

  static Zone zone(int id) {
    return ZONES.stream().filter(z -> z.getLocationId() == id).findFirst().orElseThrow();
  }

  /** The instant of a New York wall-clock time (not in a daylight-saving transition). */
  static Instant ny(LocalDateTime local) {
    return local.atZone(ZoneId.of("America/New_York")).toInstant();
  }

  /** A valid trip picked up at a New York wall-clock time; its id follows the key like validation derives it. */
  static Trip trip(LocalDateTime pickup, int minutes, int pu, int dO, double miles, long fare, long tip) {
    Instant pickupAt = ny(pickup);
    Instant dropoffAt = pickupAt.plusSeconds(60L * minutes);
    LocalDateTime dropoff = LocalDateTime.ofInstant(dropoffAt, ZoneId.of("America/New_York"));
    long total = fare + tip + 80;
    return Trip.builder()
        .setTripId(TripKeys.tripId("yellow", 1, pickup.toString(), dropoff.toString(), pu, dO, miles, total))
        .setSource("yellow")
        .setVendorId(1)
        .setPickup(pickupAt)
        .setDropoff(dropoffAt)
        .setPuZoneId(pu)
        .setDoZoneId(dO)
        .setPassengerCount(minutes % 3 == 0 ? null : minutes % 4 + 1)
        .setDistanceMiles(miles)
        .setFareCents(fare)
        .setTipCents(tip)
        .setTollsCents(0)
        .setTotalCents(total)
        .setPaymentType(1)
        .setUserId(null)
        .build();
  }

  /** {@code n} seeded random enriched trips over 3 days and the fixture zones. */
  static List<EnrichedTrip> generate(long seed, int n) {
    Random random = new Random(seed);
    List<EnrichedTrip> trips = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Zone pu = ZONES.get(random.nextInt(ZONES.size()));
      Zone dO = ZONES.get(random.nextInt(ZONES.size()));
      LocalDateTime pickup =
          LocalDateTime.of(2021, 1, 1 + random.nextInt(3), random.nextInt(24), random.nextInt(60), random.nextInt(60));
      Trip t =
          trip(pickup, 1 + random.nextInt(90), pu.getLocationId(), dO.getLocationId(),
              Math.round(random.nextDouble() * 2000) / 100.0, 250 + random.nextInt(8000), random.nextInt(900));
      trips.add(EnrichedTrip.of(t, pu, dO));
    }
    return trips;
  }
}
