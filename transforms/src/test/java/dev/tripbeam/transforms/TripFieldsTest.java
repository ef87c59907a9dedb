package dev.tripbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class TripFieldsTest {
  @Test
  void centsRoundHalfAwayFromZeroLikeSql() throws Exception {
    assertEquals(1180, TripFields.cents(11.8, false));
    assertEquals(20, TripFields.cents(TripFields.requireDouble("f", ".20"), false));
    assertEquals(-1180, TripFields.cents(-11.8, false));
    assertEquals(3, TripFields.cents(0.025, false));
    assertEquals(-3, TripFields.cents(-0.025, false));
    assertEquals(1234, TripFields.cents(1234, true));
  }

  @Test
  void timesInTlcAndIsoForms() throws Exception {
    LocalDateTime t = LocalDateTime.of(2021, 1, 1, 0, 30, 10);
    assertEquals(t, TripFields.parseTime("p", "2021-01-01 00:30:10"));
    assertEquals(t, TripFields.parseTime("p", "2021-01-01T00:30:10"));
    assertEquals(t.plusNanos(500_000), TripFields.parseTime("p", "2021-01-01T00:30:10.0005"));
    assertNull(TripFields.parseTime("p", null));
    assertThrows(TripFields.BadFieldException.class, () -> TripFields.parseTime("p", "2021-02-30 00:00:00"));
    assertThrows(TripFields.BadFieldException.class, () -> TripFields.parseTime("p", "1,2021-0"));
  }

  @Test
  void integersAcceptIntegralDecimalsOnly() throws Exception {
    assertEquals(1, TripFields.parseInt("i", "1.0"));
    assertEquals(2, TripFields.parseInt("i", "2"));
    assertThrows(TripFields.BadFieldException.class, () -> TripFields.parseInt("i", "1.5"));
    assertThrows(TripFields.BadFieldException.class, () -> TripFields.parseInt("i", "N"));
    assertThrows(TripFields.BadFieldException.class, () -> TripFields.requireDouble("d", "NaN"));
    assertThrows(TripFields.BadFieldException.class, () -> TripFields.requireDouble("d", "0x10"));
  }
}
