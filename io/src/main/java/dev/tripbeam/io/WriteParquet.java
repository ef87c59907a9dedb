package dev.tripbeam.io;

import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes values as Snappy Parquet files {@code part-SSSSS-of-NNNNN.parquet} under a directory, optionally
 * partitioned Hive-style by one string column ({@code column=value/part-...}).
 *
 * <p>Input: values of {@code T}. Output: the {@link WriteFilesResult} of the files written. Options: the
 * directory, its staging directory, the {@link AvroRecords.Layout} of {@code T}, and the partition column.
 */
public final class WriteParquet<T> extends PTransform<PCollection<T>, WriteFilesResult<?>> {
  private final String directory;
  private final String tempDirectory;
  private final AvroRecords.Layout<T> layout;
  private final @Nullable String partitionColumn;

  private WriteParquet(
      String directory, String tempDirectory, AvroRecords.Layout<T> layout, @Nullable String partitionColumn) {
    this.directory = directory;
    this.tempDirectory = tempDirectory;
    this.layout = layout;
    this.partitionColumn = partitionColumn;
  }

  /**
   * Writes under {@code directory}; files are staged in {@code tempDirectory} (keep it outside the zone readers
   * glob, so that no staging directory is ever left inside a zone).
   */
  public static <T> WriteParquet<T> to(String directory, String tempDirectory, AvroRecords.Layout<T> layout) {
    return new WriteParquet<>(directory, tempDirectory, layout, null);
  }

  /** Partitions the files by the (string) value of {@code column}. */
  public WriteParquet<T> partitionedBy(String column) {
    return new WriteParquet<>(directory, tempDirectory, layout, column);
  }

  @Override
  public WriteFilesResult<?> expand(PCollection<T> values) {
    PCollection<GenericRecord> records =
        values
            .apply("ToParquetRecords", ParDo.of(new ToRecordFn<>(layout)))
            .setCoder(AvroCoder.of(GenericRecord.class, layout.schema()));
    if (partitionColumn == null) {
      return records.apply(
          "WriteParquetFiles",
          FileIO.<GenericRecord>write()
              .via(ParquetIO.sink(layout.schema()))
              .to(directory)
              .withTempDirectory(tempDirectory)
              .withPrefix("part")
              .withSuffix(".parquet"));
    }
    String column = partitionColumn;
    return records.apply(
        "WritePartitionedParquetFiles",
        FileIO.<String, GenericRecord>writeDynamic()
            .by(r -> String.valueOf(r.get(column)))
            .withDestinationCoder(StringUtf8Coder.of())
            .via(ParquetIO.sink(layout.schema()))
            .to(directory)
            .withTempDirectory(tempDirectory)
            .withNaming(value -> FileIO.Write.defaultNaming(column + "=" + value + "/part", ".parquet")));
  }

  private static final class ToRecordFn<T> extends DoFn<T, GenericRecord> {
    private final AvroRecords.Layout<T> layout;

    ToRecordFn(AvroRecords.Layout<T> layout) {
      this.layout = layout;
    }

    @ProcessElement
    public void process(@Element T value, OutputReceiver<GenericRecord> out) {
      out.output(layout.toRecord(value));
    }
  }
}
