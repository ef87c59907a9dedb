package dev.tripbeam.io;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line into fields: comma-separated, optional double quotes with {@code ""} as an escaped quote. */
public final class CsvLines {
  private CsvLines() {}

  public static String[] split(String line) {
    if (line.indexOf('"') < 0) {
      return splitPlain(line);
    }
    List<String> fields = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            current.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          current.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    fields.add(current.toString());
    return fields.toArray(new String[0]);
  }

  private static String[] splitPlain(String line) {
    int count = 1;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == ',') {
        count++;
      }
    }
    String[] fields = new String[count];
    int start = 0;
    int f = 0;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == ',') {
        fields[f++] = line.substring(start, i);
        start = i + 1;
      }
    }
    fields[f] = line.substring(start);
    return fields;
  }

  /** Strips a trailing carriage return (CRLF files). */
  public static String chomp(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
