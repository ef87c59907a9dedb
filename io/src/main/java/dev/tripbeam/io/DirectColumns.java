package dev.tripbeam.io;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.apache.avro.Schema;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The columns of a layout as functions of its value, written straight into Parquet's record consumer: no Avro record
 * and no boxed value per row. {@link #check} holds them to the layout's Avro schema (names, order, types, optionality),
 * so the files are those the Avro path writes. Strings that are the same instance row after row (zone names, sources)
 * are encoded once.
 */
final class DirectColumns<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One column: its name, its Avro type and how a value writes it. */
  interface Column<T> extends Serializable {
    String name();

    Schema.Type type();

    boolean optional();

    /** Writes the value's field as column {@code index}, or nothing when it is null. */
    void write(T value, RecordConsumer out, int index, Strings strings);
  }

  /** A long field of a value. */
  interface LongOf<T> extends ToLongFunction<T>, Serializable {}

  /** An int field of a value. */
  interface IntOf<T> extends ToIntFunction<T>, Serializable {}

  /** A double field of a value. */
  interface DoubleOf<T> extends ToDoubleFunction<T>, Serializable {}

  private final List<Column<T>> columns;

  private DirectColumns(List<Column<T>> columns) {
    this.columns = columns;
  }

  @SafeVarargs
  static <T> DirectColumns<T> of(Column<T>... columns) {
    return new DirectColumns<>(List.of(columns));
  }

  /**
   * Fails unless the columns are the schema's fields in order, each of the same type and optionality.
   *
   * @throws IllegalArgumentException naming the first difference
   */
  void check(Schema schema) {
    List<Schema.Field> fields = schema.getFields();
    if (fields.size() != columns.size()) {
      throw new IllegalArgumentException(
          schema.getName() + " has " + fields.size() + " fields, the direct columns " + columns.size());
    }
    for (int i = 0; i < fields.size(); i++) {
      Schema.Field field = fields.get(i);
      Column<T> column = columns.get(i);
      boolean optional = field.schema().getType() == Schema.Type.UNION;
      Schema.Type type = AvroRecords.valueType(field.schema()).getType();
      if (!field.name().equals(column.name()) || type != column.type() || optional != column.optional()) {
        throw new IllegalArgumentException(
            schema.getName() + " field " + i + " is " + field.name() + " " + type + (optional ? " optional" : "")
                + ", the direct column " + column.name() + " " + column.type() + (column.optional() ? " optional" : ""));
      }
    }
  }

  /** A writer of rows, with its own encoded strings (one per open file). */
  Writer<T> writer() {
    return new Writer<>(columns);
  }

  /** Writes rows of {@code T} into a record consumer. */
  static final class Writer<T> {
    private final List<Column<T>> columns;
    private final Strings strings = new Strings();

    private Writer(List<Column<T>> columns) {
      this.columns = new ArrayList<>(columns);
    }

    void write(T value, RecordConsumer out) {
      out.startMessage();
      for (int i = 0; i < columns.size(); i++) {
        columns.get(i).write(value, out, i, strings);
      }
      out.endMessage();
    }
  }

  /** Encoded strings by instance: a string seen again as the same object is not encoded again. */
  static final class Strings {
    private static final int MAX = 4096;
    private final Map<String, Binary> byInstance = new IdentityHashMap<>();

    Binary of(String s) {
      Binary cached = byInstance.get(s);
      if (cached != null) {
        return cached;
      }
      Binary b = Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
      if (byInstance.size() < MAX) {
        byInstance.put(s, b);
      }
      return b;
    }
  }

  static <T> Column<T> string(String name, SerializableFunction<T, @Nullable String> get) {
    return text(name, get, false, false);
  }

  /** A string column whose values repeat as the same instances (zone names, the source): each encoded once. */
  static <T> Column<T> repeatedString(String name, SerializableFunction<T, @Nullable String> get) {
    return text(name, get, false, true);
  }

  static <T> Column<T> optionalString(String name, SerializableFunction<T, @Nullable String> get) {
    return text(name, get, true, false);
  }

  private static <T> Column<T> text(
      String name, SerializableFunction<T, @Nullable String> get, boolean optional, boolean repeated) {
    return new Base<>(name, Schema.Type.STRING, optional) {
      @Override
      public void write(T value, RecordConsumer out, int index, Strings strings) {
        String s = get.apply(value);
        if (s == null) {
          if (optional) {
            return;
          }
          throw new IllegalStateException("required column " + name + " is null");
        }
        out.startField(name, index);
        out.addBinary(repeated ? strings.of(s) : Binary.fromString(s));
        out.endField(name, index);
      }
    };
  }

  static <T> Column<T> longs(String name, LongOf<T> get) {
    return new Base<>(name, Schema.Type.LONG, false) {
      @Override
      public void write(T value, RecordConsumer out, int index, Strings strings) {
        out.startField(name, index);
        out.addLong(get.applyAsLong(value));
        out.endField(name, index);
      }
    };
  }

  static <T> Column<T> ints(String name, IntOf<T> get) {
    return new Base<>(name, Schema.Type.INT, false) {
      @Override
      public void write(T value, RecordConsumer out, int index, Strings strings) {
        out.startField(name, index);
        out.addInteger(get.applyAsInt(value));
        out.endField(name, index);
      }
    };
  }

  static <T> Column<T> optionalInts(String name, SerializableFunction<T, @Nullable Integer> get) {
    return new Base<>(name, Schema.Type.INT, true) {
      @Override
      public void write(T value, RecordConsumer out, int index, Strings strings) {
        Integer v = get.apply(value);
        if (v != null) {
          out.startField(name, index);
          out.addInteger(v);
          out.endField(name, index);
        }
      }
    };
  }

  static <T> Column<T> doubles(String name, DoubleOf<T> get) {
    return new Base<>(name, Schema.Type.DOUBLE, false) {
      @Override
      public void write(T value, RecordConsumer out, int index, Strings strings) {
        out.startField(name, index);
        out.addDouble(get.applyAsDouble(value));
        out.endField(name, index);
      }
    };
  }

  private abstract static class Base<T> implements Column<T> {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final Schema.Type type;
    private final boolean optional;

    Base(String name, Schema.Type type, boolean optional) {
      this.name = name;
      this.type = type;
      this.optional = optional;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Schema.Type type() {
      return type;
    }

    @Override
    public boolean optional() {
      return optional;
    }
  }
}
