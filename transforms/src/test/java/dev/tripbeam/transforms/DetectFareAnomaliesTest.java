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

  @Test
  void flagsOnlyRobustOutliersOnRoutesWithEnoughTrips(TestPipeline p) {
    List<Trip> trips = new ArrayList<>();
    // Route 142>43: 40 trips at 2.00 mi with fares 600..639 cents (3.00..3.195 $/mi) and one at 30.00 $/mi.
    for (int i = 0; i < 40; i++) {
      trips.add(fare(i, 142, 43, 2.0, 600 + i));
    }
    Trip outlier = fare(99, 142, 43, 2.0, 6000);
    trips.add(outlier);
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

    // The 41 values of 142>43: median 3.1 ($620 / 2 mi ... index 20), MAD over |x - 3.1|.
    double[] x = new double[41];
    for (int i = 0; i < 40; i++) {
      x[i] = (600 + i) / 100.0 / 2.0;
    }
    x[40] = 30.0;
    double median = DetectFareAnomalies.median(x.clone());
    double[] dev = new double[41];
    for (int i = 0; i < 41; i++) {
      dev[i] = Math.abs(x[i] - median);
    }
    double mad = DetectFareAnomalies.median(dev);
    assertEquals(3.1, median, 1e-12);

    PAssert.that(p.apply(Create.of(trips)).apply(DetectFareAnomalies.of()))
        .containsInAnyOrder(
            FareAnomaly.builder().setTripId(outlier.getTripId()).setPickupDate("2024-03-04").setPuZoneId(142)
                .setDoZoneId(43).setDistanceMiles(2.0).setFareCents(6000).setFarePerMile(30.0)
                .setRouteMedian(median).setRouteMad(mad).setRouteTrips(41)
                .setScore(Math.abs(30.0 - median) / (1.4826 * mad)).build());
    p.run();
  }
}
