package dev.tripbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tripbeam.model.FareAnomaly;
import dev.tripbeam.model.Trip;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class DetectFareAnomaliesTest {
  private static final LocalDateTime T0 = LocalDateTime.of(2024, 3, 4, 8, 0);

  private static Trip fare(int i, int pu, int dO, double miles, long fareCents) {
    return TestTrips.trip(T0.plusMinutes(i), 10, pu, dO, miles, fareCents, 0).toBuilder()
        .setTripId("r" + pu + "-" + dO + "-" + i).build();
  }

  private static FareAnomaly only(Iterable<FareAnomaly> anomalies) {
    List<FareAnomaly> all = new ArrayList<>();
    anomalies.forEach(all::add);
    assertEquals(1, all.size(), all::toString);
    return all.get(0);
  }

  @Test
  void flagsOnlyRobustOutliersOnRoutesWithEnoughTrips(TestPipeline p) {
    List<Trip> trips = new ArrayList<>();
    // Route 142>43: 40 trips at 2.00 mi with fares 600..639 cents (3.00..3.195 $/mi) and one at 30.00 $/mi.
    for (int i = 0; i < 40; i++) {
      trips.add(fare(i, 142, 43, 2.0, 600 + i));
    }
    Trip outlier = fare(99, 142, 43, 2.0, 6000);
    trips.add(outlier);
    String outlierId = outlier.getTripId();
    // Shorter than 0.5 mile: not scored, even with an absurd fare.
    trips.add(fare(100, 142, 43, 0.4, 9000));
    // Route 132>138 has only 29 trips: not scored.
    for (int i = 0; i < 28; i++) {
      trips.add(fare(i, 132, 138, 10.0, 3000 + i));
    }
    trips.add(fare(50, 132, 138, 10.0, 90000));
    // Route 236>236: every fare per mile equal, MAD 0: nothing flagged.
    for (int i = 0; i < 35; i++) {
      trips.add(fare(i, 236, 236, 1.0, 500));
    }
    trips.add(fare(60, 236, 236, 1.0, 5000));

    // Expected by hand: the 41 fares per mile of 142>43 are 3.000, 3.005, ..., 3.195 and 30.0; the median (21st) is
    // 3.100; the deviations are 0, 0.005 twice, 0.010 twice, ... and 26.9, whose median (21st) is 0.05.
    PAssert.that(p.apply(Create.of(trips)).apply(DetectFareAnomalies.of()))
        .satisfies(
            anomalies -> {
              FareAnomaly a = only(anomalies);
              assertEquals(outlierId, a.getTripId());
              assertEquals("2024-03-04", a.getPickupDate());
              assertEquals(142, a.getPuZoneId());
              assertEquals(43, a.getDoZoneId());
              assertEquals(6000, a.getFareCents());
              assertEquals(30.0, a.getFarePerMile(), 1e-9);
              assertEquals(3.1, a.getRouteMedian(), 1e-9);
              assertEquals(0.05, a.getRouteMad(), 1e-9);
              assertEquals(41, a.getRouteTrips());
              assertEquals(26.9 / (1.4826 * 0.05), a.getScore(), 1e-6);
              return null;
            });
    p.run();
  }

  @Test
  void boundariesExactly30TripsHalfAMileAndAnEvenCountMedian(TestPipeline p) {
    // Route 142>43 with exactly 30 trips: 28 at 10.00 + 0.01 i $/mi (i = 0..27; trip 10 is exactly 0.5 mile at
    // 505 cents, the rest 1 mile), one at 10.80 $/mi and one at 10.82 $/mi.
    List<Trip> trips = new ArrayList<>();
    for (int i = 0; i < 28; i++) {
      trips.add(i == 10 ? fare(i, 142, 43, 0.5, 505) : fare(i, 142, 43, 1.0, 1000 + i));
    }
    trips.add(fare(80, 142, 43, 1.0, 1080));
    Trip above = fare(82, 142, 43, 1.0, 1082);
    trips.add(above);
    String aboveId = above.getTripId();
    // By hand: the even count's median is (10.14 + 10.15) / 2 = 10.145; the 30 deviations are 0.005, 0.015, ...,
    // 0.125 twice each, then 0.135, 0.145, 0.655, 0.675, so the MAD is (0.075 + 0.075) / 2 = 0.075. Scores:
    // 0.655 / (1.4826 * 0.075) = 5.89 (kept) and 0.675 / (1.4826 * 0.075) = 6.07 (flagged). Without the half-mile
    // trip the route would have 29 trips and nothing would be scored.
    PAssert.that(p.apply(Create.of(trips)).apply(DetectFareAnomalies.of()))
        .satisfies(
            anomalies -> {
              FareAnomaly a = only(anomalies);
              assertEquals(aboveId, a.getTripId());
              assertEquals(30, a.getRouteTrips());
              assertEquals(10.145, a.getRouteMedian(), 1e-9);
              assertEquals(0.075, a.getRouteMad(), 1e-9);
              assertEquals(0.675 / (1.4826 * 0.075), a.getScore(), 1e-6);
              return null;
            });
    p.run();
  }

  @Test
  void aRouteIsScoredAgainstItsTripsOfTheSamePickupDate(TestPipeline p) {
    // Route 142>43: 30 trips on 2024-03-04 at 3.00..3.29 $/mi and 30 on 2024-03-05 at 9.00..9.29 $/mi. A trip at
    // 9.50 $/mi on the 4th is an outlier there; the same fare on the 5th is ordinary. Over both days together
    // (median about 6.2, MAD about 3) neither would be flagged.
    List<Trip> trips = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      trips.add(fare(i, 142, 43, 1.0, 300 + i));
      trips.add(nextDay(fare(i, 142, 43, 1.0, 900 + i)));
    }
    Trip outlier = fare(40, 142, 43, 1.0, 950);
    String outlierId = outlier.getTripId();
    trips.add(outlier);
    trips.add(nextDay(fare(40, 142, 43, 1.0, 950)));
    PAssert.that(p.apply(Create.of(trips)).apply(DetectFareAnomalies.of()))
        .satisfies(
            anomalies -> {
              FareAnomaly a = only(anomalies);
              assertEquals(outlierId, a.getTripId());
              assertEquals("2024-03-04", a.getPickupDate());
              assertEquals(31, a.getRouteTrips());
              assertEquals(3.15, a.getRouteMedian(), 1e-9);
              return null;
            });
    p.run();
  }

  private static Trip nextDay(Trip t) {
    return t.toBuilder()
        .setTripId(t.getTripId() + "-next")
        .setPickupMicros(t.getPickupMicros() + 86_400_000_000L)
        .setDropoffMicros(t.getDropoffMicros() + 86_400_000_000L)
        .build();
  }
}
