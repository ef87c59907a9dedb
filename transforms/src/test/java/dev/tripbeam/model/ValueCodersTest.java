package dev.tripbeam.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** Every value type round-trips through the schema coder the pipeline infers for it. */
class ValueCodersTest {
  private final SchemaRegistry registry = SchemaRegistry.createDefault();

  private <T> void assertRoundTrip(Class<T> type, T value) throws Exception {
    Coder<T> coder = registry.getSchemaCoder(type);
    assertEquals(value, CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, value)));
  }

  static Trip trip() {
    return Trip.builder()
        .setTripId("abc")
        .setSource("yellow")
        .setVendorId(null)
        .setPickup(Instant.parse("2021-01-01T05:30:10Z"))
        .setDropoff(Instant.parse("2021-01-01T05:36:12.000123Z"))
        .setPuZoneId(142)
        .setDoZoneId(43)
        .setPassengerCount(null)
        .setDistanceMiles(2.1)
        .setFareCents(800)
        .setTipCents(0)
        .setTollsCents(0)
        .setTotalCents(1180)
        .setPaymentType(2)
        .setUserId(null)
        .build();
  }

  @Test
  void zoneRoundTrips() throws Exception {
    assertRoundTrip(Zone.class, Zone.of(264, "Unknown", "NV", "N/A"));
  }

  @Test
  void tripRoundTrips() throws Exception {
    assertRoundTrip(Trip.class, trip());
  }

  @Test
  void enrichedTripRoundTrips() throws Exception {
    assertRoundTrip(
        EnrichedTrip.class,
        EnrichedTrip.of(trip(), Zone.of(142, "Manhattan", "Lincoln Square East", "Yellow Zone"),
            Zone.of(43, "Manhattan", "Central Park", "Yellow Zone")));
  }

  @Test
  void rawTripRoundTrips() throws Exception {
    assertRoundTrip(
        RawTrip.class,
        RawTrip.builder().setSourceFile("f.csv").setRowNumber(7).setSource("yellow").setRaw("1,2021-0")
            .setStructureError("expected 18 fields, found 2").build());
  }

  @Test
  void rejectedRecordRoundTrips() throws Exception {
    assertRoundTrip(
        RejectedRecord.class,
        RejectedRecord.of(RejectReason.UNPARSEABLE, "ValidateTrips", "f.csv", 3, "x,y", "bad number"));
  }
}
