package dev.tripbeam.transforms;

import dev.tripbeam.model.NewYorkTime;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Typing of raw trip field text: numbers, local timestamps and cents. */
public final class TripFields {
  private static final DateTimeFormatter LOCAL_TIME =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .toFormatter()
          .withResolverStyle(ResolverStyle.STRICT);

  private static final Pattern OFFSET = Pattern.compile("[+-]\\d\\d:?\\d\\d$");

  private TripFields() {}

  /** A field whose text cannot be read as its type. */
  public static final class BadFieldException extends Exception {
    private static final long serialVersionUID = 1L;

    BadFieldException(String field, String text, String expected) {
      super("bad " + expected + " in " + field + ": '" + text + "'", null, false, false);
    }
  }

  /** An integer field; text with an integral decimal value such as {@code 1.0} is accepted. */
  public static @Nullable Integer parseInt(String field, @Nullable String text) throws BadFieldException {
    if (text == null) {
      return null;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      double d = parseDouble(field, text, "integer");
      if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
        throw new BadFieldException(field, text, "integer");
      }
      return (int) d;
    }
  }

  public static double requireDouble(String field, @Nullable String text) throws BadFieldException {
    if (text == null) {
      throw new BadFieldException(field, "", "number (missing)");
    }
    return parseDouble(field, text, "number");
  }

  private static double parseDouble(String field, String text, String expected) throws BadFieldException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        throw new BadFieldException(field, text, expected);
      }
    }
    try {
      double d = Double.parseDouble(text);
      if (!Double.isFinite(d)) {
        throw new BadFieldException(field, text, expected);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new BadFieldException(field, text, expected);
    }
  }

  /** A parsed timestamp: a wall-clock reading (text without offset) or an instant (text with {@code Z} or offset). */
  public static final class Reading {
    private final long micros;
    private final boolean wallClock;

    Reading(long micros, boolean wallClock) {
      this.micros = micros;
      this.wallClock = wallClock;
    }

    /** A wall-clock reading of {@code micros} (see {@code NewYorkTime.toMicros(LocalDateTime)}). */
    public static Reading wallClock(long micros) {
      return new Reading(micros, true);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Reading r && r.micros == micros && r.wallClock == wallClock;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(micros) * 31 + (wallClock ? 1 : 0);
    }

    @Override
    public String toString() {
      return (wallClock ? "wall-clock " : "instant ") + micros;
    }

    /** Wall-clock micros (see {@code NewYorkTime.toMicros(LocalDateTime)}) or, for an instant, micros since the epoch. */
    public long micros() {
      return micros;
    }

    /** True when the text named no offset: the time of some wall clock, still to be placed in a zone. */
    public boolean wallClock() {
      return wallClock;
    }
  }

  /**
   * A timestamp: {@code yyyy-MM-dd HH:mm:ss[.f]} (or with {@code T}) is a wall-clock reading; with {@code Z} or an
   * offset (the app format) it is an instant. Null when absent.
   */
  public static @Nullable Reading parseTime(String field, @Nullable String text) throws BadFieldException {
    if (text == null) {
      return null;
    }
    if (text.length() == 19) {
      LocalDateTime fast = parseFixed19(text);
      if (fast != null) {
        return new Reading(NewYorkTime.toMicros(fast), true);
      }
    }
    try {
      char last = text.charAt(text.length() - 1);
      if (last == 'Z' || last == 'z' || (text.length() > 19 && OFFSET.matcher(text).find())) {
        return new Reading(NewYorkTime.toMicros(OffsetDateTime.parse(text.replace(' ', 'T')).toInstant()), false);
      }
      return new Reading(NewYorkTime.toMicros(LocalDateTime.parse(text, LOCAL_TIME)), true);
    } catch (DateTimeParseException e) {
      throw new BadFieldException(field, text, "timestamp");
    }
  }

  /** An amount already in integer cents (the app format): its decimal text must be integral. */
  public static long requireCents(String field, @Nullable String text) throws BadFieldException {
    BigDecimal d = requireDecimal(field, text);
    try {
      return d.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      throw new BadFieldException(field, text, "integer cents");
    }
  }

  /**
   * A dollar amount in integer cents, from its decimal text, rounded half away from zero: "1.005" is 101 cents, "-1.005"
   * is -101, "0.285" is 29 (binary floating point would give 100 and 28). Plain decimals take a fast exact path;
   * anything else (exponents, long digit strings) goes through {@link BigDecimal}.
   */
  public static long requireDollarsAsCents(String field, @Nullable String text) throws BadFieldException {
    if (text == null) {
      throw new BadFieldException(field, "", "number (missing)");
    }
    long fast = plainDollarsToCents(text);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    BigDecimal cents = requireDecimal(field, text).movePointRight(2).setScale(0, RoundingMode.HALF_UP);
    try {
      return cents.longValueExact();
    } catch (ArithmeticException e) {
      throw new BadFieldException(field, text, "amount");
    }
  }

  /** Cents of text like {@code -12.345}: sign, up to 15 integer digits, a point, any fraction; MIN_VALUE otherwise. */
  static long plainDollarsToCents(String text) {
    int i = 0;
    int n = text.length();
    boolean negative = false;
    if (n > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
      negative = text.charAt(0) == '-';
      i = 1;
    }
    long units = 0;
    int intDigits = 0;
    while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      units = units * 10 + (text.charAt(i++) - '0');
      if (++intDigits > 15) {
        return Long.MIN_VALUE;
      }
    }
    int fraction = 0;
    int fracDigits = 0;
    boolean roundAway = false;
    if (i < n && text.charAt(i) == '.') {
      i++;
      while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        int digit = text.charAt(i++) - '0';
        if (fracDigits < 2) {
          fraction = fraction * 10 + digit;
        } else if (fracDigits == 2) {
          roundAway = digit >= 5;
        }
        fracDigits++;
      }
    }
    if (i != n || intDigits + fracDigits == 0) {
      return Long.MIN_VALUE;
    }
    if (fracDigits == 1) {
      fraction *= 10;
    }
    long cents = units * 100 + fraction + (roundAway ? 1 : 0);
    return negative ? -cents : cents;
  }

  private static BigDecimal requireDecimal(String field, @Nullable String text) throws BadFieldException {
    if (text == null) {
      throw new BadFieldException(field, "", "number (missing)");
    }
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new BadFieldException(field, text, "number");
    }
  }

  private static @Nullable LocalDateTime parseFixed19(String s) {
    char sep = s.charAt(10);
    if (s.charAt(4) != '-' || s.charAt(7) != '-' || (sep != ' ' && sep != 'T')
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

}
