package dev.tripbeam.transforms;

import dev.tripbeam.model.NewYorkTime;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.UserDaily;
import java.time.LocalDateTime;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class AggregateUserDailyTest {
  private static final LocalDateTime DAY = LocalDateTime.of(2024, 3, 4, 0, 0);

  private static Trip ride(String user, LocalDateTime pickup, int minutes, int pu, int dO, double miles, long total) {
    Trip t = TestTrips.trip(pickup, minutes, pu, dO, miles, total - 80, 0);
    return t.toBuilder().setTripId(user + pickup).setSource("app").setUserId(user).build();
  }

  /** Micros since the epoch of a New York wall-clock time. */
  private static long at(LocalDateTime newYork) {
    return NewYorkTime.toMicros(TestTrips.ny(newYork));
  }

  @Test
  void journeysChainTripsWithinThirtyMinutesOfTheLastDropoff(TestPipeline p) {
    // 08:00-08:20, next pickup exactly 30 min after dropoff (same journey), then one 30 min + 1 s later (new one).
    Trip a = ride("u1", DAY.plusHours(8), 20, 142, 43, 2.5, 1200);
    Trip b = ride("u1", DAY.plusHours(8).plusMinutes(50), 10, 43, 236, 1.25, 900);
    Trip c = ride("u1", DAY.plusHours(9).plusMinutes(30).plusSeconds(1), 15, 236, 142, 3.0, 1500);
    Trip nextDay = ride("u1", DAY.plusDays(1).plusHours(7), 12, 132, 138, 9.0, 3000);
    Trip other = ride("u2", DAY.plusHours(23).plusMinutes(50), 30, 132, 132, 0.4, 700);
    Trip tlc = TestTrips.trip(DAY.plusHours(8), 5, 142, 43, 1.0, 500, 0);

    PAssert.that(p.apply(Create.of(c, tlc, a, other, nextDay, b)).apply(AggregateUserDaily.of()))
        .containsInAnyOrder(
            UserDaily.builder().setUserId("u1").setPickupDate("2024-03-04").setTrips(3).setDistanceMiles(6.75)
                .setTotalCents(3600).setFirstPickupMicros(at(DAY.plusHours(8)))
                .setLastDropoffMicros(at(DAY.plusHours(9).plusMinutes(45).plusSeconds(1)))
                .setJourneys(2).setDistinctZones(3).build(),
            UserDaily.builder().setUserId("u1").setPickupDate("2024-03-05").setTrips(1).setDistanceMiles(9.0)
                .setTotalCents(3000).setFirstPickupMicros(at(DAY.plusDays(1).plusHours(7)))
                .setLastDropoffMicros(at(DAY.plusDays(1).plusHours(7).plusMinutes(12)))
                .setJourneys(1).setDistinctZones(2).build(),
            // A trip crossing midnight belongs to its pickup date, the New York one: 23:50 EST is 04:50 UTC on the 5th.
            UserDaily.builder().setUserId("u2").setPickupDate("2024-03-04").setTrips(1).setDistanceMiles(0.4)
                .setTotalCents(700).setFirstPickupMicros(at(DAY.plusHours(23).plusMinutes(50)))
                .setLastDropoffMicros(at(DAY.plusDays(1).plusMinutes(20)))
                .setJourneys(1).setDistinctZones(1).build());
    p.run();
  }
}
