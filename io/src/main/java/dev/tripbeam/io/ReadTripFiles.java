package dev.tripbeam.io;

import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.transforms.TripCoders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads raw trip files.
 *
 * <p>Input: file paths or globs (any Beam file system). Outputs: {@link #RAW} one {@link RawTrip} per data row,
 * and {@link #UNREADABLE} one {@link RejectedRecord} ({@code unreadable_file}; raw and detail: the path and the cause) per file that
 * cannot be opened, is not of its format or lacks required columns; the run goes on. Option: the
 * {@link InputFormat}. Metrics: counters {@code rows} and {@code unreadable_files} in namespace {@value #STEP}.
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
            .apply("MatchTripFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply("OpenTripFiles", FileIO.readMatches().withCompression(Compression.AUTO))
            .apply(
                "ParseTripRows", ParDo.of(new ReadFn(format)).withOutputTags(RAW, TupleTagList.of(UNREADABLE)));
    out.get(RAW).setCoder(TripCoders.rawTrip());
    return out;
  }

  private static final class ReadFn extends DoFn<FileIO.ReadableFile, RawTrip> {
    private final InputFormat format;
    private final Counter rows = Metrics.counter(STEP, "rows");
    private final Counter unreadable = Metrics.counter(STEP, "unreadable_files");

    ReadFn(InputFormat format) {
      this.format = format;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
      String path = file.getMetadata().resourceId().toString();
      TripFileReader.Opener opener =
          new TripFileReader.Opener() {
            @Override
            public InputStream open() throws IOException {
              return Channels.newInputStream(file.open());
            }

            @Override
            public SeekableByteChannel openSeekable() throws IOException {
              return file.openSeekable();
            }
          };
      try {
        long n = TripFileReader.read(path, format, opener, raw -> out.get(RAW).output(raw));
        rows.inc(n);
      } catch (UnreadableFileException e) {
        unreadable.inc();
        out.get(UNREADABLE)
            .output(
                RejectedRecord.of(
                    RejectReason.UNREADABLE_FILE, STEP, path, 0, path + ": " + e.getMessage(),
                    path + ": " + e.getMessage()));
      }
    }
  }
}
