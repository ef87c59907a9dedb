package dev.tripbeam.io;

import java.util.Locale;

/** How raw trip files are read: {@code auto} decides per file by extension and header. */
public enum InputFormat {
  AUTO,
  CSV,
  PARQUET;

  /** Parses an option value case-insensitively. */
  public static InputFormat parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--inputFormat must be one of auto, csv, parquet (got '" + value + "')", e);
    }
  }

  /** The format of one file: the forced one, or by extension ({@code .parquet}, else CSV, gzip or not). */
  public InputFormat forFile(String path) {
    if (this != AUTO) {
      return this;
    }
    return path.toLowerCase(Locale.ROOT).endsWith(".parquet") ? PARQUET : CSV;
  }
}
