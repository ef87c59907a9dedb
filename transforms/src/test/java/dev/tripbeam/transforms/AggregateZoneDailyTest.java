package dev.tripbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.ZoneDaily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** AggregateZoneDaily against a plain-Java reference model on the same generated input. */
@ExtendWith(TestPipelineExtension.class)
class AggregateZoneDailyTest {

  /** The reference model: a straightforward loop over the trips. */
  static List<ZoneDaily> referenceModel(List<EnrichedTrip> trips) {
    Map<String, List<EnrichedTrip>> byKey = new TreeMap<>();
    for (EnrichedTrip e : trips) {
      String newYorkDate = e.getTrip().getPickup().atZone(java.time.ZoneId.of("America/New_York")).toLocalDate().toString();
      byKey.computeIfAbsent(newYorkDate + "|" + e.getTrip().getPuZoneId(), k -> new ArrayList<>()).add(e);
    }
    List<ZoneDaily> rows = new ArrayList<>();
    for (List<EnrichedTrip> group : byKey.values()) {
      long passengers = 0;
      long microMiles = 0;
      long fare = 0;
      long tip = 0;
      long total = 0;
      long durationMicros = 0;
      for (EnrichedTrip e : group) {
        Trip t = e.getTrip();
        passengers += t.getPassengerCount() == null ? 0 : t.getPassengerCount();
        microMiles += Math.round(t.getDistanceMiles() * 1e6);
        fare += t.getFareCents();
        tip += t.getTipCents();
        total += t.getTotalCents();
        durationMicros += java.time.Duration.between(t.getPickup(), t.getDropoff()).toNanos() / 1000;
      }
      EnrichedTrip first = group.get(0);
      rows.add(
          ZoneDaily.builder()
              .setPickupDate(first.getTrip().getPickup().atZone(java.time.ZoneId.of("America/New_York")).toLocalDate().toString())
              .setPuZoneId(first.getTrip().getPuZoneId())
              .setBorough(first.getPuBorough())
              .setZone(first.getPuZone())
              .setTrips(group.size())
              .setPassengers(passengers)
              .setDistanceMiles(microMiles / 1e6)
              .setFareCents(fare)
              .setTipCents(tip)
              .setTotalCents(total)
              .setAvgDurationS(durationMicros / 1e6 / group.size())
              .build());
    }
    return rows;
  }

  @Test
  void matchesTheReferenceModel(TestPipeline p) {
    List<EnrichedTrip> trips = TestTrips.generate(42, 300);
    List<ZoneDaily> expected = referenceModel(trips);
    assertEquals(true, expected.size() > 10, "the generated input spans many zone-days");

    PAssert.that(p.apply(Create.of(trips)).apply(AggregateZoneDaily.of())).containsInAnyOrder(expected);
    p.run();
  }

  @Test
  void emptyInputGivesNoRows(TestPipeline p) throws Exception {
    PAssert.that(
            p.apply(Create.empty(p.getSchemaRegistry().getSchemaCoder(EnrichedTrip.class)))
                .apply(AggregateZoneDaily.of()))
        .empty();
    p.run();
  }
}
