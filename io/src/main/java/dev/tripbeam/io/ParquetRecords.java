package dev.tripbeam.io;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Reads the rows of one curated Parquet file outside a pipeline (local, S3 or any Beam file system), as Avro records
 * of the file's own schema: for the steps that follow a run, such as loading the serving database.
 */
public final class ParquetRecords {
  private ParquetRecords() {}

  /** Receives the rows of a file. */
  @FunctionalInterface
  public interface RowConsumer {
    void accept(GenericRecord row) throws IOException;
  }

  /** Passes every row of the file at {@code path} to {@code rows}, in file order; returns how many there were. */
  public static long read(String path, RowConsumer rows) throws IOException {
    ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(path, false));
    if (!(channel instanceof SeekableByteChannel seekable)) {
      channel.close();
      throw new IOException("the file system of " + path + " cannot seek, which Parquet needs");
    }
    long count = 0;
    try (seekable;
        ParquetReader<GenericRecord> reader =
            AvroParquetReader.<GenericRecord>builder(new ChannelInputFile(seekable, path), HadoopConf.copy())
                .withDataModel(GenericData.get())
                .build()) {
      GenericRecord row;
      while ((row = reader.read()) != null) {
        rows.accept(row);
        count++;
      }
    }
    return count;
  }
}
