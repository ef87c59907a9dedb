package dev.tripbeam.io;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;

/**
 * Keeps an unpartitioned zone readable when a run wrote no rows to it: Beam writes no file for an empty collection,
 * and {@code read_parquet('zone/*.parquet')} fails on a missing directory; a schema-only Parquet file answers zero
 * rows instead.
 */
public final class EmptyZone {
  /** The name of the schema-only file. */
  static final String FILE = "part-00000-of-00001.parquet";

  private EmptyZone() {}

  /** Writes a zero-row Parquet file with the layout's schema into {@code directory} if it holds no Parquet file. */
  public static boolean ensureReadable(String directory, AvroRecords.Layout<?> layout) throws IOException {
    MatchResult existing = FileSystems.match(directory + "/*.parquet", EmptyMatchTreatment.ALLOW);
    if (existing.status() == MatchResult.Status.OK && !existing.metadata().isEmpty()) {
      return false;
    }
    ParquetIO.Sink sink = ParquetIO.sink(layout.schema());
    WritableByteChannel channel =
        FileSystems.create(FileSystems.matchNewResource(directory + "/" + FILE, false), "application/octet-stream");
    try {
      sink.open(channel);
      sink.flush();
    } finally {
      // The Parquet writer closes the channel itself; closing an S3 channel twice completes its upload twice, and S3
      // answers the second with NoSuchUpload.
      if (channel.isOpen()) {
        channel.close();
      }
    }
    return true;
  }
}
