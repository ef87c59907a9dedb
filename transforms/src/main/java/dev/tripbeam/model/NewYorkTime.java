package dev.tripbeam.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Time in New York (America/New_York, the JDK's time-zone data): instants are microseconds since the epoch (UTC);
 * local wall-clock readings are microseconds since 1970-01-01T00:00 of the same wall clock.
 *
 * <p>A local reading has one instant, none (spring forward: 2021-03-14 02:00–02:59 never happened) or two (fall
 * back: 2021-11-07 01:00–01:59 happened first in EDT, then in EST); {@link #instants} returns them in time order.
 * Transitions from 1970 to 2200 are kept in a table searched by bisection; other years ask {@link ZoneRules}.
 */
public final class NewYorkTime {
  public static final ZoneId ZONE = ZoneId.of("America/New_York");
  private static final ZoneRules RULES = ZONE.getRules();
  private static final long MICROS_PER_SECOND = 1_000_000L;
  public static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
  private static final long TABLE_FROM = LocalDate.of(1970, 1, 1).toEpochDay() * MICROS_PER_DAY;
  private static final long TABLE_TO = LocalDate.of(2200, 1, 1).toEpochDay() * MICROS_PER_DAY;
  private static final long[] TRANSITIONS;
  private static final long[] OFFSETS_AFTER;
  private static final long OFFSET_BEFORE_TABLE;
  private static final long MIN_OFFSET;
  private static final long MAX_OFFSET;
  private static final long[] NONE = {};

  static {
    List<ZoneOffsetTransition> list = new ArrayList<>();
    Instant from = Instant.ofEpochSecond(TABLE_FROM / MICROS_PER_SECOND - 2 * 86_400L);
    Instant to = Instant.ofEpochSecond(TABLE_TO / MICROS_PER_SECOND + 2 * 86_400L);
    for (ZoneOffsetTransition t = RULES.nextTransition(from);
        t != null && t.getInstant().isBefore(to);
        t = RULES.nextTransition(t.getInstant())) {
      list.add(t);
    }
    TRANSITIONS = new long[list.size()];
    OFFSETS_AFTER = new long[list.size()];
    long min = RULES.getOffset(from).getTotalSeconds();
    long max = min;
    for (int i = 0; i < list.size(); i++) {
      TRANSITIONS[i] = list.get(i).getInstant().getEpochSecond() * MICROS_PER_SECOND;
      OFFSETS_AFTER[i] = list.get(i).getOffsetAfter().getTotalSeconds() * MICROS_PER_SECOND;
      min = Math.min(min, list.get(i).getOffsetAfter().getTotalSeconds());
      max = Math.max(max, list.get(i).getOffsetAfter().getTotalSeconds());
    }
    OFFSET_BEFORE_TABLE = RULES.getOffset(from).getTotalSeconds() * MICROS_PER_SECOND;
    MIN_OFFSET = min * MICROS_PER_SECOND;
    MAX_OFFSET = max * MICROS_PER_SECOND;
  }

  private NewYorkTime() {}

  /** New York's UTC offset at an instant, in microseconds (e.g. -4 h in summer). */
  public static long offsetMicros(long instantMicros) {
    if (instantMicros < TABLE_FROM || instantMicros >= TABLE_TO) {
      Instant i = Instant.ofEpochSecond(Math.floorDiv(instantMicros, MICROS_PER_SECOND));
      return RULES.getOffset(i).getTotalSeconds() * MICROS_PER_SECOND;
    }
    int lo = 0;
    int hi = TRANSITIONS.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (TRANSITIONS[mid] <= instantMicros) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return hi < 0 ? OFFSET_BEFORE_TABLE : OFFSETS_AFTER[hi];
  }

  /** The New York wall-clock reading of an instant. */
  public static long localMicros(long instantMicros) {
    return instantMicros + offsetMicros(instantMicros);
  }

  /**
   * The instants a New York wall-clock reading stands for, earliest first: one, none (a time skipped when clocks
   * spring forward) or two (a time repeated when clocks fall back).
   */
  public static long[] instants(long localMicros) {
    if (localMicros < TABLE_FROM || localMicros >= TABLE_TO) {
      List<ZoneOffset> offsets = RULES.getValidOffsets(toLocalDateTime(localMicros));
      long[] out = new long[offsets.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = localMicros - offsets.get(i).getTotalSeconds() * MICROS_PER_SECOND;
      }
      java.util.Arrays.sort(out);
      return out;
    }
    // Any instant of this reading lies in [local - max offset, local - min offset]; that window holds at most one
    // transition, so the offsets at its two ends are the only candidates.
    long a = localMicros - offsetMicros(localMicros - MAX_OFFSET);
    long b = localMicros - offsetMicros(localMicros - MIN_OFFSET);
    boolean aValid = localMicros(a) == localMicros;
    boolean bValid = b != a && localMicros(b) == localMicros;
    if (aValid && bValid) {
      return a < b ? new long[] {a, b} : new long[] {b, a};
    }
    return aValid ? new long[] {a} : bValid ? new long[] {b} : NONE;
  }

  /** The New York calendar date of an instant, as days since 1970-01-01. */
  public static int epochDay(long instantMicros) {
    return (int) Math.floorDiv(localMicros(instantMicros), MICROS_PER_DAY);
  }

  /** The New York calendar date of an instant, {@code YYYY-MM-DD}. */
  public static String date(long instantMicros) {
    return LocalDate.ofEpochDay(epochDay(instantMicros)).toString();
  }

  /** Wall-clock micros of a local date-time (no zone applied). */
  public static long toMicros(LocalDateTime t) {
    return t.toEpochSecond(ZoneOffset.UTC) * MICROS_PER_SECOND + t.getNano() / 1_000L;
  }

  /** The local date-time of wall-clock micros (no zone applied). */
  public static LocalDateTime toLocalDateTime(long micros) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(micros, MICROS_PER_SECOND), (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1_000,
        ZoneOffset.UTC);
  }

  /** Micros since the epoch of an instant. */
  public static long toMicros(Instant i) {
    return i.getEpochSecond() * MICROS_PER_SECOND + i.getNano() / 1_000L;
  }

  /** The instant of micros since the epoch. */
  public static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, MICROS_PER_SECOND), Math.floorMod(micros, MICROS_PER_SECOND) * 1_000);
  }
}
