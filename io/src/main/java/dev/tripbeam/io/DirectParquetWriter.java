package dev.tripbeam.io;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * A Parquet writer of a layout's values through its {@link DirectColumns}: the Parquet schema the Avro path derives
 * from the layout's Avro schema, and that Avro schema in the footer (as parquet-avro writes it), so Avro, Spark and
 * DuckDB readers see the files of the Avro path.
 */
final class DirectParquetWriter {
  /** The footer key under which parquet-avro keeps a file's Avro schema (its {@code AvroWriteSupport.AVRO_SCHEMA}). */
  static final String AVRO_SCHEMA = "parquet.avro.schema";

  private DirectParquetWriter() {}

  /** A builder of a writer of {@code layout}'s values to {@code file}; the layout must have direct columns. */
  static <T> Builder<T> builder(OutputFile file, AvroRecords.Layout<T> layout) {
    return new Builder<>(file, layout);
  }

  /** Builds the writer; the usual Parquet settings apply. */
  static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
    private final AvroRecords.Layout<T> layout;

    private Builder(OutputFile file, AvroRecords.Layout<T> layout) {
      super(file);
      this.layout = layout;
    }

    @Override
    protected Builder<T> self() {
      return this;
    }

    @Override
    protected WriteSupport<T> getWriteSupport(Configuration conf) {
      DirectColumns<T> columns = layout.directColumns();
      if (columns == null) {
        throw new IllegalStateException(layout.schema().getName() + " has no direct columns");
      }
      return new Support<>(layout.schema(), columns.writer());
    }
  }

  private static final class Support<T> extends WriteSupport<T> {
    private final Schema schema;
    private final DirectColumns.Writer<T> rows;
    private RecordConsumer consumer;

    Support(Schema schema, DirectColumns.Writer<T> rows) {
      this.schema = schema;
      this.rows = rows;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(
          new AvroSchemaConverter(configuration).convert(schema),
          Map.of(AVRO_SCHEMA, schema.toString()));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      consumer = recordConsumer;
    }

    @Override
    public void write(T value) {
      rows.write(value, consumer);
    }

    @Override
    public String getName() {
      return "avro";
    }
  }
}
