package dev.tripbeam.model;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Local wall-clock date-times as microseconds since 1970-01-01T00:00 of the same (unnamed) local clock. No time zone
 * is applied: TLC times are NYC local and stay so.
 */
public final class LocalTimes {
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private LocalTimes() {}

  public static long toMicros(LocalDateTime t) {
    return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1_000L;
  }

  /** {@code YYYY-MM-DD} of a micros value. */
  public static String dateOf(long micros) {
    return LocalDate.ofEpochDay(Math.floorDiv(micros, MICROS_PER_DAY)).toString();
  }

  public static LocalDateTime fromMicros(long micros) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1_000, ZoneOffset.UTC);
  }
}
