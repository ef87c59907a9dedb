package dev.tripbeam.transforms;

import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.Trip;
import java.time.LocalDateTime;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class EnrichTripsTest {
  @Test
  void joinsBoroughAndZoneNamesOfBothEnds(TestPipeline p) {
    Trip toJfk = TestTrips.trip(LocalDateTime.of(2021, 1, 1, 8, 0), 40, 142, 132, 14.2, 5200, 1100);
    Trip unknown = TestTrips.trip(LocalDateTime.of(2021, 1, 1, 9, 0), 10, 264, 43, 1.2, 700, 0);

    PAssert.that(p.apply(Create.of(toJfk, unknown)).apply(EnrichTrips.of(TestTrips.ZONES)))
        .containsInAnyOrder(
            EnrichedTrip.of(toJfk, TestTrips.zone(142), TestTrips.zone(132)),
            EnrichedTrip.of(unknown, TestTrips.zone(264), TestTrips.zone(43)));
    p.run();
  }
}
