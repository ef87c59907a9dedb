package dev.tripbeam.io;

import dev.tripbeam.model.NewYorkTime;
import dev.tripbeam.transforms.TripFields;
import dev.tripbeam.transforms.TripValues;
import java.util.List;
import java.util.Locale;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Types the trip columns of a Parquet file's rows straight into {@link TripValues}, without rendering them as text:
 * the values are those {@link TripValues#parse} gives for the text {@link TripFileReader#render} makes of them. Where
 * that cannot be matched exactly, the text decides: a row with a null amount or distance, a non-finite number, an
 * integer out of range, an amount of fractional cents or a time outside the years 1000-9999 has no values, and a file
 * with a trip column of another type (text, float, decimal, INT96, a number in a time column) is typed by none.
 */
final class ParquetTyping {
  /** How a column's values are typed. */
  private enum Kind {
    ABSENT,
    INTEGER,
    DOUBLE,
    MICROS,
    MILLIS
  }

  /** A value the typing cannot match exactly: the row is read from its text. */
  private static final class Untyped extends Exception {
    private static final long serialVersionUID = 1L;
    static final Untyped INSTANCE = new Untyped();

    private Untyped() {
      super("untyped", null, false, false);
    }
  }

  private static final long MAX_WHOLE_DOLLARS = 1_000_000_000_000L;
  private static final long MIN_MICROS = NewYorkTime.toMicros(java.time.LocalDateTime.of(1000, 1, 1, 0, 0));
  private static final long MAX_MICROS = NewYorkTime.toMicros(java.time.LocalDateTime.of(10000, 1, 1, 0, 0)) - 1;

  private final Kind[] kinds;
  private final int[] positions;
  private final boolean inCents;

  private ParquetTyping(Kind[] kinds, int[] positions, boolean inCents) {
    this.kinds = kinds;
    this.positions = positions;
    this.inCents = inCents;
  }

  /** The typing of a file's rows, or null when a trip column is of a type the text must decide. */
  static @Nullable ParquetTyping of(List<Schema.Field> fields, int[] positions, String source) {
    Kind[] kinds = new Kind[TripColumns.values().length];
    for (TripColumns column : TripColumns.values()) {
      int position = positions[column.ordinal()];
      Kind kind =
          position < 0 || isIdentity(column)
              ? Kind.ABSENT
              : kindOf(AvroRecords.valueType(fields.get(position).schema()), isTime(column));
      if (kind == null) {
        return null;
      }
      kinds[column.ordinal()] = kind;
    }
    return new ParquetTyping(kinds, positions, "app".equals(source));
  }

  /** The trip and user id: text in any file, rendered with the row's identity. */
  private static boolean isIdentity(TripColumns column) {
    return column == TripColumns.TRIP_ID || column == TripColumns.USER_ID;
  }

  private static boolean isTime(TripColumns column) {
    return column == TripColumns.PICKUP || column == TripColumns.DROPOFF;
  }

  private static @Nullable Kind kindOf(Schema type, boolean time) {
    LogicalType logical = type.getLogicalType();
    String name = logical == null ? "" : logical.getName().toLowerCase(Locale.ROOT);
    if (time) {
      if (type.getType() != Schema.Type.LONG) {
        return null;
      }
      return name.endsWith("timestamp-micros") ? Kind.MICROS : name.endsWith("timestamp-millis") ? Kind.MILLIS : null;
    }
    if (logical != null) {
      return null;
    }
    return switch (type.getType()) {
      case INT, LONG -> Kind.INTEGER;
      case DOUBLE -> Kind.DOUBLE;
      default -> null;
    };
  }

  /** The values of one row, or null when its text is to decide. */
  @Nullable TripValues values(GenericRecord row) {
    try {
      return new TripValues(
          whole(row, TripColumns.VENDOR),
          time(row, TripColumns.PICKUP),
          time(row, TripColumns.DROPOFF),
          whole(row, TripColumns.PASSENGERS),
          whole(row, TripColumns.PU_ZONE),
          whole(row, TripColumns.DO_ZONE),
          whole(row, TripColumns.PAYMENT),
          distance(row),
          cents(row, TripColumns.FARE),
          cents(row, TripColumns.TIP),
          cents(row, TripColumns.TOLLS),
          cents(row, TripColumns.TOTAL));
    } catch (Untyped e) {
      return null;
    }
  }

  private @Nullable Object value(GenericRecord row, TripColumns column) {
    int position = positions[column.ordinal()];
    return position < 0 ? null : row.get(position);
  }

  /** An integer field: {@code TripFields.parseInt} of the value's text. */
  private @Nullable Integer whole(GenericRecord row, TripColumns column) throws Untyped {
    Object v = value(row, column);
    if (v == null || v instanceof Integer) {
      return (Integer) v;
    }
    if (v instanceof Long l && l == (int) (long) l) {
      return (int) (long) l;
    }
    if (v instanceof Double d
        && Double.isFinite(d)
        && d == Math.rint(d)
        && Math.abs(d) <= Integer.MAX_VALUE) {
      return (int) (double) d;
    }
    throw Untyped.INSTANCE;
  }

  /** A wall-clock reading: {@code TripFields.parseTime} of the local date-time text of the value. */
  private TripFields.@Nullable Reading time(GenericRecord row, TripColumns column) throws Untyped {
    Object v = value(row, column);
    if (v == null) {
      return null;
    }
    long raw = (Long) v;
    if (kinds[column.ordinal()] == Kind.MILLIS) {
      if (Math.abs(raw) > Long.MAX_VALUE / 1_000L) {
        throw Untyped.INSTANCE;
      }
      raw *= 1_000L;
    }
    if (raw < MIN_MICROS || raw > MAX_MICROS) {
      throw Untyped.INSTANCE;
    }
    return TripFields.Reading.wallClock(raw);
  }

  /** The distance: {@code TripFields.requireDouble} of the value's text. */
  private double distance(GenericRecord row) throws Untyped {
    Object v = value(row, TripColumns.DISTANCE);
    if (v instanceof Double d && Double.isFinite(d)) {
      return d;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).doubleValue();
    }
    throw Untyped.INSTANCE;
  }

  /**
   * An amount in cents: the app's integer cents as they are; TLC dollars when they are a whole number of cents (the
   * double nearest some {@code c / 100}, whose text any decimal rounding takes back to {@code c}).
   */
  private long cents(GenericRecord row, TripColumns column) throws Untyped {
    Object v = value(row, column);
    if (v instanceof Integer || v instanceof Long) {
      long whole = ((Number) v).longValue();
      if (inCents) {
        return whole;
      }
      if (Math.abs(whole) < MAX_WHOLE_DOLLARS) {
        return whole * 100;
      }
    } else if (v instanceof Double d && !inCents && Math.abs(d) < MAX_WHOLE_DOLLARS) {
      long c = Math.round(d * 100);
      if (c / 100.0 == d) {
        return c;
      }
    }
    throw Untyped.INSTANCE;
  }
}
