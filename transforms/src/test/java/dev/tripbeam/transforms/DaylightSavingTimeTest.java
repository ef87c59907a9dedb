package dev.tripbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.Trip;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Hand-written TLC rows on New York's daylight-saving nights: 2021-03-14 (02:00 EST became 03:00 EDT) and
 * 2021-11-07 (02:00 EDT became 01:00 EST). Expected instants and durations are written out by hand.
 */
class DaylightSavingTimeTest {
  private static final TripRules RULES = TripRules.defaults();

  private static TripRules.Outcome check(String pickup, String dropoff) {
    RawTrip raw = TestTrips.yellowRaw().setPickup(pickup).setDropoff(dropoff).setDistanceMiles("1.5").build();
    return RULES.check(raw, zone -> true);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // Spring forward: 01:55 EST to 03:05 EDT is ten minutes, not seventy.
    "2021-03-14 01:55:00, 2021-03-14 03:05:00, 2021-03-14T06:55:00Z, 2021-03-14T07:05:00Z, 600",
    // Fall back, both ends in the repeated hour, dropoff before pickup on the wall: 01:50 EDT to 01:10 EST.
    "2021-11-07 01:50:00, 2021-11-07 01:10:00, 2021-11-07T05:50:00Z, 2021-11-07T06:10:00Z, 1200",
    // Both in the repeated hour, in order: the shortest reading is 15 minutes, taken in EDT (the earlier pickup).
    "2021-11-07 01:30:00, 2021-11-07 01:45:00, 2021-11-07T05:30:00Z, 2021-11-07T05:45:00Z, 900",
    // Only the dropoff repeated: 00:50 EDT to 01:20 EDT (30 min), not 01:20 EST (90 min).
    "2021-11-07 00:50:00, 2021-11-07 01:20:00, 2021-11-07T04:50:00Z, 2021-11-07T05:20:00Z, 1800",
    // Only the pickup repeated: 01:50 EST to 02:10 EST (20 min), not from 01:50 EDT (80 min).
    "2021-11-07 01:50:00, 2021-11-07 02:10:00, 2021-11-07T06:50:00Z, 2021-11-07T07:10:00Z, 1200",
    // An ordinary night for comparison: 5 h behind UTC in winter.
    "2021-01-01 00:30:10, 2021-01-01 00:36:12, 2021-01-01T05:30:10Z, 2021-01-01T05:36:12Z, 362",
  })
  void newYorkReadingsBecomeInstantsWithRealDurations(
      String pickup, String dropoff, String pickupUtc, String dropoffUtc, long elapsedSeconds) {
    TripRules.Outcome outcome = check(pickup, dropoff);
    Trip trip = outcome.getTrip();
    assertEquals(Instant.parse(pickupUtc), trip.getPickup());
    assertEquals(Instant.parse(dropoffUtc), trip.getDropoff());
    assertEquals(
        Instant.parse(pickupUtc).plusSeconds(elapsedSeconds), trip.getDropoff(), "pickup plus the real elapsed time");
    assertEquals(pickup.substring(0, 10), trip.getPickupDate(), "the New York date of the pickup");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2021-03-14 02:30:00, 2021-03-14 03:10:00, pickup 2021-03-14 02:30:00 never happened",
    "2021-03-14 01:40:00, 2021-03-14 02:00:00, dropoff 2021-03-14 02:00:00 never happened",
    "2021-03-14 02:59:59, 2021-03-14 02:10:00, pickup 2021-03-14 02:59:59 never happened",
  })
  void aSkippedReadingIsAnInvalidLocalTime(String pickup, String dropoff, String detail) {
    TripRules.Outcome outcome = check(pickup, dropoff);
    assertEquals(RejectReason.INVALID_LOCAL_TIME, outcome.getReason());
    assertEquals(detail + " in New York (clocks sprang forward)", outcome.getDetail());
  }

  @Test
  void theEdgesOfTheSkippedHourExist() {
    // 01:59:59 EST is one second before 03:00:00 EDT; with 1.5 miles that is far too fast, as real elapsed time says.
    TripRules.Outcome oneSecond = check("2021-03-14 01:59:59", "2021-03-14 03:00:00");
    assertEquals(RejectReason.IMPLAUSIBLE_SPEED, oneSecond.getReason());
    assertEquals("5400.0 mph", oneSecond.getDetail());
    Trip trip = check("2021-03-14 01:59:59", "2021-03-14 03:10:00").getTrip();
    assertEquals(Instant.parse("2021-03-14T06:59:59Z"), trip.getPickup());
    assertEquals(Instant.parse("2021-03-14T07:10:00Z"), trip.getDropoff());
  }

  @Test
  void noPositiveReadingIsDropoffNotAfterPickup() {
    // 00:40 EDT (04:40Z) precedes both readings of 01:50 (05:50Z, 06:50Z): the earlier readings are kept and rejected.
    TripRules.Outcome outcome = check("2021-11-07 01:50:00", "2021-11-07 00:40:00");
    assertEquals(RejectReason.DROPOFF_NOT_AFTER_PICKUP, outcome.getReason());
    assertEquals("2021-11-07 01:50:00 -> 2021-11-07 00:40:00", outcome.getDetail());
  }

  @Test
  void tripsAtTheTwoReadingsOfOneHourGetDistinctIds() {
    // Same wall-clock pickup 01:30, resolved once to EDT and once to EST by their dropoffs; and the unambiguous trip
    // of January keeps the id it had before time zones were applied (the literal of ValidateTripsTest).
    Set<String> ids = new HashSet<>();
    ids.add(check("2021-11-07 01:30:00", "2021-11-07 01:45:00").getTrip().getTripId());
    ids.add(check("2021-11-07 01:30:00", "2021-11-07 02:05:00").getTrip().getTripId());
    ids.add(check("2021-11-07 01:30:00", "2021-11-07 01:10:00").getTrip().getTripId());
    assertEquals(3, ids.size());
    Trip edtToEst = check("2021-11-07 01:30:00", "2021-11-07 01:10:00").getTrip();
    assertEquals(Instant.parse("2021-11-07T05:30:00Z"), edtToEst.getPickup());
    assertEquals(Instant.parse("2021-11-07T06:10:00Z"), edtToEst.getDropoff());
    Trip estPickup = check("2021-11-07 01:30:00", "2021-11-07 02:05:00").getTrip();
    assertEquals(Instant.parse("2021-11-07T06:30:00Z"), estPickup.getPickup());
    assertNotEquals(edtToEst.getPickup(), estPickup.getPickup());
  }

  @Test
  void appInstantsIgnoreNewYorkClocks() {
    RawTrip raw = TestTrips.appRaw().setPickup("2021-11-07T05:30:00Z").setDropoff("2021-11-07T06:10:00Z").build();
    Trip trip = RULES.check(raw, zone -> true).getTrip();
    assertEquals(Instant.parse("2021-11-07T05:30:00Z"), trip.getPickup());
    assertEquals(trip.getPickup().plusSeconds(40 * 60), trip.getDropoff(), "forty minutes, whatever the wall clock");
    assertEquals("2021-11-07", trip.getPickupDate());
    // 03:30 UTC on the 8th is 22:30 EST on the 7th: the New York date.
    RawTrip late = TestTrips.appRaw().setPickup("2021-11-08T03:30:00Z").setDropoff("2021-11-08T03:50:00Z").build();
    assertEquals("2021-11-07", RULES.check(late, zone -> true).getTrip().getPickupDate());
  }
}
