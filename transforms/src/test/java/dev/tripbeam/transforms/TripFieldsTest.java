package dev.tripbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TripFieldsTest {
  @Test
  void dollarsBecomeCentsFromTheirDecimalTextHalfAwayFromZero() throws Exception {
    // Values binary floating point rounds the wrong way (1.005 is 1.00499999... as a double).
    assertEquals(101, TripFields.requireDollarsAsCents("f", "1.005"));
    assertEquals(29, TripFields.requireDollarsAsCents("f", "0.285"));
    assertEquals(15, TripFields.requireDollarsAsCents("f", "0.145"));
    assertEquals(-101, TripFields.requireDollarsAsCents("f", "-1.005"));
    assertEquals(1180, TripFields.requireDollarsAsCents("f", "11.8"));
    assertEquals(-1180, TripFields.requireDollarsAsCents("f", "-11.80"));
    assertEquals(20, TripFields.requireDollarsAsCents("f", ".20"));
    assertEquals(3, TripFields.requireDollarsAsCents("f", "0.025"));
    assertEquals(2, TripFields.requireDollarsAsCents("f", "0.0249999"));
    assertEquals(700, TripFields.requireDollarsAsCents("f", "7"));
    assertEquals(0, TripFields.requireDollarsAsCents("f", "-0.004"));
    // Exponents and long digit strings take the BigDecimal path, with the same rounding.
    assertEquals(12345, TripFields.requireDollarsAsCents("f", "1.2345E2"));
    assertEquals(101, TripFields.requireDollarsAsCents("f", "1.00500000000000000000001"));
    assertEquals(123456789012345678L, TripFields.requireDollarsAsCents("f", "1234567890123456.78"));
    assertThrows(TripFields.BadFieldException.class, () -> TripFields.requireDollarsAsCents("f", "NaN"));
    assertThrows(TripFields.BadFieldException.class, () -> TripFields.requireDollarsAsCents("f", "1,5"));
    assertThrows(TripFields.BadFieldException.class, () -> TripFields.requireDollarsAsCents("f", "."));
    assertThrows(TripFields.BadFieldException.class, () -> TripFields.requireDollarsAsCents("f", null));
  }

  @Test
  void appCentsMustBeIntegral() throws Exception {
    assertEquals(1234, TripFields.requireCents("f", "1234"));
    assertEquals(1234, TripFields.requireCents("f", "1234.0"));
    assertEquals(-5, TripFields.requireCents("f", "-5"));
    assertThrows(TripFields.BadFieldException.class, () -> TripFields.requireCents("f", "12.5"));
  }

  @Test
  void timesInTlcAndIsoForms() throws Exception {
    // 2021-01-01T00:30:10 as wall-clock micros (1609461010 s), and instants with their offsets applied.
    long wall = 1_609_461_010_000_000L;
    assertEquals(wall, TripFields.parseTime("p", "2021-01-01 00:30:10").micros());
    assertTrue(TripFields.parseTime("p", "2021-01-01 00:30:10").wallClock());
    assertEquals(wall, TripFields.parseTime("p", "2021-01-01T00:30:10").micros());
    assertEquals(wall + 500, TripFields.parseTime("p", "2021-01-01T00:30:10.0005").micros());
    assertEquals(wall, TripFields.parseTime("p", "2021-01-01T00:30:10Z").micros());
    assertFalse(TripFields.parseTime("p", "2021-01-01T00:30:10Z").wallClock());
    assertEquals(wall + 5 * 3_600_000_000L, TripFields.parseTime("p", "2021-01-01T00:30:10-05:00").micros());
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
