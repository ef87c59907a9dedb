package dev.tripbeam.io;

import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.transforms.TripCoders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads raw trip files.
 *
 * <p>Input: file paths, literal (already listed: a '[' or '?' in an S3 key is part of the name, never a pattern), on
 * any Beam file system; compression by extension. Outputs: {@link #RAW} one {@link RawTrip} per data row, and
 * {@link #UNREADABLE} the file records: one {@code unreadable_file} per file that cannot be opened (also one deleted
 * since it was listed), is not of its format or lacks required columns, and one {@code truncated_file} per file that
 * failed part way (its rows read before the failure stay in {@link #RAW}); raw and detail name the path and the
 * cause. Option: the {@link InputFormat}. Metrics: counters {@code rows}, {@code unreadable_files} and
 * {@code truncated_files} in namespace {@value #STEP}.
 */
public final class ReadTripFiles extends PTransform<PCollection<String>, PCollectionTuple> {
  public static final String STEP = "ReadTripFiles";
  public static final TupleTag<RawTrip> RAW = new TupleTag<RawTrip>() {};
  public static final TupleTag<RejectedRecord> UNREADABLE = new TupleTag<RejectedRecord>() {};

  private final InputFormat format;

  private ReadTripFiles(InputFormat format) {
    this.format = format;
  }

  public static ReadTripFiles of(InputFormat format) {
    return new ReadTripFiles(format);
  }

  @Override
  public PCollectionTuple expand(PCollection<String> paths) {
    PCollectionTuple out =
        paths
            .apply("SpreadTripFiles", Reshuffle.viaRandomKey())
            .apply(
                "ParseTripRows", ParDo.of(new ReadFn(format)).withOutputTags(RAW, TupleTagList.of(UNREADABLE)));
    out.get(RAW).setCoder(TripCoders.rawTrip());
    return out;
  }

  /** Opens one literal path through Beam's file systems: decompressed by extension, or seekable for Parquet. */
  static TripFileReader.Opener opener(String path) {
    ResourceId resource = FileSystems.matchNewResource(path, false);
    return new TripFileReader.Opener() {
      @Override
      public InputStream open() throws IOException {
        return Channels.newInputStream(Compression.detect(path).readDecompressed(FileSystems.open(resource)));
      }

      @Override
      public SeekableByteChannel openSeekable() throws IOException {
        ReadableByteChannel channel = FileSystems.open(resource);
        if (channel instanceof SeekableByteChannel seekable) {
          return seekable;
        }
        channel.close();
        throw new IOException("the file system of " + path + " cannot seek, which Parquet needs");
      }
    };
  }

  private static final class ReadFn extends DoFn<String, RawTrip> {
    private final InputFormat format;
    private final Counter rows = Metrics.counter(STEP, "rows");
    private final Counter unreadable = Metrics.counter(STEP, "unreadable_files");
    private final Counter truncated = Metrics.counter(STEP, "truncated_files");

    ReadFn(InputFormat format) {
      this.format = format;
    }

    @ProcessElement
    public void process(@Element String path, MultiOutputReceiver out) {
      try {
        long n = TripFileReader.read(path, format, opener(path), raw -> out.get(RAW).output(raw));
        rows.inc(n);
      } catch (UnreadableFileException e) {
        String detail = path + ": " + e.getMessage();
        RejectReason reason;
        if (e.rowsRead() > 0) {
          rows.inc(e.rowsRead());
          truncated.inc();
          reason = RejectReason.TRUNCATED_FILE;
        } else {
          unreadable.inc();
          reason = RejectReason.UNREADABLE_FILE;
        }
        out.get(UNREADABLE).output(RejectedRecord.of(reason, STEP, path, 0, detail, detail));
      }
    }
  }
}
