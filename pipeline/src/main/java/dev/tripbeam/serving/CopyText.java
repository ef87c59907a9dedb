package dev.tripbeam.serving;

import dev.tripbeam.io.AvroRecords;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Renders Parquet rows (Avro records without logical-type conversion) as lines of PostgreSQL's {@code COPY} text
 * format: tab-separated, {@code \N} for null, backslash escapes for backslash, tab, newline and carriage return;
 * {@code date} columns as {@code YYYY-MM-DD}, {@code timestamp-micros} as ISO-8601 UTC instants, {@code
 * local-timestamp-micros} as ISO-8601 wall-clock times, doubles in Java's
 * shortest round-trip form (PostgreSQL reads them back to the same value).
 */
final class CopyText {
  private final List<Schema.Field> fields;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
  private final StringBuilder line = new StringBuilder(256);

  CopyText(Schema schema) {
    this.fields = schema.getFields();
  }

  /** Appends one row; the record must have the columns of the schema, by name. */
  void append(GenericRecord row) {
    line.setLength(0);
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        line.append('\t');
      }
      Schema.Field field = fields.get(i);
      appendValue(field.schema(), row.get(field.name()));
    }
    line.append('\n');
    byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
    buffer.write(bytes, 0, bytes.length);
  }

  /** The bytes appended since the last {@link #clear()}. */
  int size() {
    return buffer.size();
  }

  byte[] bytes() {
    return buffer.toByteArray();
  }

  void clear() {
    buffer.reset();
  }

  private void appendValue(Schema schema, Object value) {
    if (value == null) {
      line.append("\\N");
      return;
    }
    schema = AvroRecords.valueType(schema);
    String logical = schema.getLogicalType() == null ? "" : schema.getLogicalType().getName();
    if (logical.equals("date")) {
      line.append(LocalDate.ofEpochDay(((Number) value).longValue()));
    } else if (logical.equals("timestamp-micros")) {
      long micros = ((Number) value).longValue();
      line.append(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L));
    } else if (logical.equals("local-timestamp-micros")) {
      long micros = ((Number) value).longValue();
      line.append(
          java.time.LocalDateTime.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L),
              (int) (Math.floorMod(micros, 1_000_000L) * 1000L),
              java.time.ZoneOffset.UTC));
    } else if (schema.getType() == Schema.Type.STRING) {
      escape(value.toString());
    } else if (schema.getType() == Schema.Type.INT
        || schema.getType() == Schema.Type.LONG
        || schema.getType() == Schema.Type.DOUBLE
        || schema.getType() == Schema.Type.BOOLEAN) {
      line.append(value);
    } else {
      throw new IllegalArgumentException("cannot load a column of type " + schema + " into PostgreSQL");
    }
  }

  private void escape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> line.append("\\\\");
        case '\t' -> line.append("\\t");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        default -> line.append(c);
      }
    }
  }
}
