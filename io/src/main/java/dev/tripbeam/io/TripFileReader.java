package dev.tripbeam.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.transforms.TripValues;
import dev.tripbeam.transforms.ValidateTrips;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads one raw trip file into {@link RawTrip}s, without typing: CSV (plain or gzip, decompressed by the opener)
 * with a header naming the TLC or app columns, Parquet, or JSON lines in the app format. Plain Java, so it is testable without a pipeline.
 */
public final class TripFileReader {
  /** How to open the bytes of one file. */
  public interface Opener {
    /** The (decompressed) content as a stream. */
    InputStream open() throws IOException;

    /** The raw content, for Parquet. */
    SeekableByteChannel openSeekable() throws IOException;
  }

  private TripFileReader() {}

  /** Opens a file of the local file system directly (gzip by a {@code .gz} name), for tools that run outside Beam. */
  public static Opener localOpener(Path file) {
    return new Opener() {
      @Override
      public InputStream open() throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
      }

      @Override
      public SeekableByteChannel openSeekable() throws IOException {
        return Files.newByteChannel(file);
      }
    };
  }

  /** Receives the rows of a file; {@code rawText} renders the untouched input when it is needed. */
  @FunctionalInterface
  public interface RowSink {
    /**
     * One data row. For CSV and JSON lines {@code row.getRaw()} is the line; for Parquet it is empty and
     * {@code rawText} renders the row (a JSON text), valid only during this call.
     */
    void accept(RawTrip row, Supplier<String> rawText);
  }

  /** Receives the rows of a file as {@link ValidateTrips.Checker} checks them: typed where the file is. */
  @FunctionalInterface
  public interface TypedRowSink {
    /** One data row; {@code rawText} renders the untouched input (as {@link RowSink}), valid only during this call. */
    void accept(ValidateTrips.TypedRow row, Supplier<String> rawText);
  }

  /**
   * Emits every data row of the file with its raw input. Rows already emitted stay emitted when the file fails part
   * way.
   *
   * @return the number of rows emitted
   * @throws UnreadableFileException when the file cannot be opened, is not of its format, lacks required columns,
   *     or fails while being read (then {@link UnreadableFileException#rowsRead()} says how many rows it gave)
   */
  public static long read(String path, InputFormat format, Opener opener, Consumer<RawTrip> out)
      throws UnreadableFileException {
    return readRows(
        path,
        format,
        opener,
        (row, rawText) -> out.accept(row.getRaw().isEmpty() ? row.toBuilder().setRaw(rawText.get()).build() : row));
  }

  /**
   * Emits every data row of the file, rendering a Parquet row's raw input only when the sink asks for it. Rows
   * already emitted stay emitted when the file fails part way.
   *
   * @return the number of rows emitted
   * @throws UnreadableFileException as {@link #read}
   */
  public static long readRows(String path, InputFormat format, Opener opener, RowSink out)
      throws UnreadableFileException {
    return read(path, format, opener, (row, rawText) -> out.accept(row.text(), rawText), false);
  }

  /**
   * Emits every data row of the file: a Parquet row of trip columns of number and timestamp types with its values
   * typed straight from the file ({@link ParquetTyping}) and its text rendered only when asked for; any other row as
   * its text. Rows already emitted stay emitted when the file fails part way.
   *
   * @return the number of rows emitted
   * @throws UnreadableFileException as {@link #read}
   */
  public static long readTyped(String path, InputFormat format, Opener opener, TypedRowSink out)
      throws UnreadableFileException {
    return read(path, format, opener, out, true);
  }

  private static long read(String path, InputFormat format, Opener opener, TypedRowSink out, boolean typed)
      throws UnreadableFileException {
    long[] rows = {0};
    TypedRowSink counting =
        (row, rawText) -> {
          rows[0]++;
          out.accept(row, rawText);
        };
    try {
      switch (format.forFile(path)) {
        case PARQUET -> readParquet(path, format, opener, counting, typed);
        case JSON -> readJsonLines(path, opener, counting);
        default -> readCsv(path, format, opener, counting);
      }
      return rows[0];
    } catch (UnreadableFileException e) {
      throw rows[0] == 0 ? e : new UnreadableFileException(e.getMessage() + " (after " + rows[0] + " rows)", e, rows[0]);
    } catch (IOException | RuntimeException e) {
      String message = cause(e);
      throw new UnreadableFileException(
          rows[0] == 0 ? message : message + " (after " + rows[0] + " rows)", e, rows[0]);
    }
  }

  /** The cause of a failure in words: its message, or the exception's name when it has none. */
  private static String cause(Throwable e) {
    String m = e.getMessage();
    boolean plain = e.getClass() == RuntimeException.class || e.getClass() == IOException.class;
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return plain ? m : e.getClass().getSimpleName() + ": " + m;
  }

  private static void readCsv(String path, InputFormat format, Opener opener, TypedRowSink out)
      throws IOException, UnreadableFileException {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(opener.open(), StandardCharsets.UTF_8), 1 << 16)) {
      String headerLine = reader.readLine();
      if (headerLine == null) {
        throw new UnreadableFileException("empty file: no header line");
      }
      if (headerLine.startsWith("\uFEFF")) {
        headerLine = headerLine.substring(1);
      }
      List<String> header = Arrays.asList(CsvLines.split(CsvLines.chomp(headerLine)));
      int[] positions = locate(header, format);
      String source = TripColumns.sourceOf(header, path);
      TripColumns[] columns = TripColumns.values();
      long row = 0;
      String line;
      while ((line = reader.readLine()) != null) {
        row++;
        line = CsvLines.chomp(line);
        RawTrip.Builder b =
            RawTrip.builder().setSourceFile(path).setRowNumber(row).setSource(source).setRaw(line);
        String[] fields = CsvLines.split(line);
        if (fields.length != header.size()) {
          b.setStructureError("expected " + header.size() + " fields, found " + fields.length);
        } else {
          for (TripColumns column : columns) {
            int position = positions[column.ordinal()];
            if (position >= 0) {
              String value = fields[position].trim();
              column.set(b, value.isEmpty() ? null : value);
            }
          }
        }
        RawTrip raw = b.build();
        out.accept(new TextRow(raw), raw::getRaw);
      }
    }
  }

  private static void readParquet(String path, InputFormat format, Opener opener, TypedRowSink out, boolean typed)
      throws IOException, UnreadableFileException {
    try (SeekableByteChannel channel = opener.openSeekable();
        ParquetReader<GenericRecord> reader =
            AvroParquetReader.<GenericRecord>builder(new ChannelInputFile(channel, path), HadoopConf.copy())
                .withDataModel(GenericData.get())
                .build()) {
      GenericRecord record = reader.read();
      if (record == null) {
        return;
      }
      Schema schema = record.getSchema();
      List<String> header = new ArrayList<>();
      for (Schema.Field f : schema.getFields()) {
        header.add(f.name());
      }
      int[] positions = locate(header, format);
      String source = TripColumns.sourceOf(header, path);
      ParquetTyping typing = typed ? ParquetTyping.of(schema.getFields(), positions, source) : null;
      long row = 0;
      while (record != null) {
        row++;
        GenericRecord current = record;
        long number = row;
        TripValues values = typing == null ? null : typing.values(current);
        if (values == null) {
          out.accept(new TextRow(textRow(path, number, source, current, positions)), current::toString);
        } else {
          RawTrip identity =
              RawTrip.builder()
                  .setSourceFile(path)
                  .setRowNumber(number)
                  .setSource(source)
                  .setRaw("")
                  .setTripId(field(current, TripColumns.TRIP_ID, positions))
                  .setUserId(field(current, TripColumns.USER_ID, positions))
                  .build();
          out.accept(
              new TypedParquetRow(identity, values, () -> textRow(path, number, source, current, positions)),
              current::toString);
        }
        record = reader.read();
      }
    }
  }

  /** The trip columns, once: {@code values()} copies its array on every call, and this runs per row. */
  private static final TripColumns[] COLUMNS = TripColumns.values();

  /** A Parquet row's trip columns as text. */
  private static RawTrip textRow(String path, long row, String source, GenericRecord record, int[] positions) {
    RawTrip.Builder b = RawTrip.builder().setSourceFile(path).setRowNumber(row).setSource(source).setRaw("");
    for (TripColumns column : COLUMNS) {
      if (positions[column.ordinal()] >= 0) {
        column.set(b, field(record, column, positions));
      }
    }
    return b.build();
  }

  private static @Nullable String field(GenericRecord record, TripColumns column, int[] positions) {
    int position = positions[column.ordinal()];
    return position < 0 ? null : render(record.get(position), record.getSchema().getFields().get(position).schema());
  }

  /** A row read as text: it has no values of its own. */
  private record TextRow(RawTrip text) implements ValidateTrips.TypedRow {
    @Override
    public RawTrip identity() {
      return text;
    }

    @Override
    public @Nullable TripValues values() {
      return null;
    }
  }

  /** A Parquet row typed from the file, its text rendered on demand. */
  private record TypedParquetRow(RawTrip identity, TripValues values, Supplier<RawTrip> rendered)
      implements ValidateTrips.TypedRow {
    @Override
    public RawTrip text() {
      return rendered.get();
    }
  }

  private static int[] locate(List<String> header, InputFormat format) throws UnreadableFileException {
    if (format == InputFormat.APP && !TripColumns.isApp(header)) {
      throw new UnreadableFileException("--inputFormat=app needs trip_id and user_id columns; header " + header);
    }
    return TripColumns.locate(header);
  }

  /** JSON lines in the app format: one object per line; a line that is not a JSON object is kept as unparseable. */
  private static void readJsonLines(String path, Opener opener, TypedRowSink out) throws IOException {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(opener.open(), StandardCharsets.UTF_8), 1 << 16)) {
      long row = 0;
      String line;
      while ((line = reader.readLine()) != null) {
        line = CsvLines.chomp(line);
        if (line.isBlank() && row == 0) {
          continue;
        }
        row++;
        RawTrip raw = appLine(path, row, line);
        out.accept(new TextRow(raw), raw::getRaw);
      }
    }
  }

  /**
   * One line of the app format's JSON lines as a raw trip of {@code source} (a file, a stream partition) and {@code
   * row}; a line that is not a JSON object is kept with a structure error, as unparseable.
   */
  public static RawTrip appLine(String source, long row, String line) {
    RawTrip.Builder b = RawTrip.builder().setSourceFile(source).setRowNumber(row).setSource("app").setRaw(line);
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      b.setStructureError("not a JSON object");
    } else {
      for (TripColumns column : TripColumns.values()) {
        if (column != TripColumns.VENDOR) {
          JsonNode value = node.get(column.appName());
          String text = value == null || value.isNull() ? null : value.asText().trim();
          column.set(b, text == null || text.isEmpty() ? null : text);
        }
      }
    }
    return b.build();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Text of one Parquet value; timestamps as local date-times (TLC writes NYC wall-clock time). */
  static String render(Object value, Schema schema) {
    if (value == null) {
      return null;
    }
    Schema type = schema;
    if (type.getType() == Schema.Type.UNION) {
      for (Schema branch : type.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          type = branch;
          break;
        }
      }
    }
    LogicalType logical = type.getLogicalType();
    if (logical != null && value instanceof Long) {
      long v = (Long) value;
      String name = logical.getName().toLowerCase(Locale.ROOT);
      if (name.endsWith("timestamp-micros")) {
        return LocalDateTime.ofInstant(
                Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000L),
                ZoneOffset.UTC)
            .toString();
      }
      if (name.endsWith("timestamp-millis")) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(v), ZoneOffset.UTC).toString();
      }
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }
}
