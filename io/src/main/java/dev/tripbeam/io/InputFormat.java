package dev.tripbeam.io;

import java.util.Locale;

/**
 * How raw trip files are read. {@code auto} decides per file: {@code .parquet} is Parquet, {@code .json},
 * {@code .jsonl} or {@code .ndjson} (optionally {@code .gz}) is JSON lines, anything else CSV; the columns tell TLC
 * yellow, green or the app format. {@code app} reads the same containers but requires the app format's columns.
 */
public enum InputFormat {
  AUTO,
  CSV,
  PARQUET,
  JSON,
  APP;

  /** Parses an option value case-insensitively. */
  public static InputFormat parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--inputFormat must be one of auto, csv, parquet, json, app (got '" + value + "')", e);
    }
  }

  /** The container format of one file: the forced one, or by extension. */
  public InputFormat forFile(String path) {
    if (this == CSV || this == PARQUET || this == JSON) {
      return this;
    }
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".gz")) {
      p = p.substring(0, p.length() - 3);
    }
    if (p.endsWith(".parquet")) {
      return PARQUET;
    }
    if (p.endsWith(".json") || p.endsWith(".jsonl") || p.endsWith(".ndjson")) {
      return JSON;
    }
    return CSV;
  }
}
