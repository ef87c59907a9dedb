package dev.tripbeam.options;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;

/** Durations of the streaming options: {@code 90s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 250ms}, ISO-8601. */
public final class StreamDurations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

  private StreamDurations() {}

  /**
   * The value of option {@code name}.
   *
   * @throws IllegalArgumentException naming the option and the accepted forms
   */
  public static Duration parse(String name, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.millis(n);
        case "s" -> Duration.standardSeconds(n);
        case "m" -> Duration.standardMinutes(n);
        case "h" -> Duration.standardHours(n);
        default -> Duration.standardDays(n);
      };
    }
    try {
      if (v.startsWith("pt") || v.startsWith("p")) {
        return Duration.millis(java.time.Duration.parse(v.toUpperCase(Locale.ROOT)).toMillis());
      }
    } catch (java.time.format.DateTimeParseException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException(
        "--" + name + " takes a duration such as 90s, 5m, 1h or 2d (got '" + value + "')");
  }
}
