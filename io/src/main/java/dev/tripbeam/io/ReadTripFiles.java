package dev.tripbeam.io;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.transforms.TripCoders;
import dev.tripbeam.transforms.ValidateTrips;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
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

/**
 * Reads raw trip files and checks every row against the trip rules, in one step.
 *
 * <p>Input: file paths, literal (already listed: a '[' or '?' in an S3 key is part of the name, never a pattern), on
 * any Beam file system; compression by extension. Output, one collection of {@link CheckedTrip}s: per data row a
 * valid trip or its rejection (by {@link ValidateTrips.Checker}; a Parquet row is rendered to text only when rejected),
 * per file the count {@value CheckedTrip#READ_ROWS} of rows read, and per file that cannot be opened (also one deleted
 * since it was listed), is not of its format or lacks required columns an {@code unreadable_file} record, per file
 * that failed part way a {@code truncated_file} record (its rows read before the failure stay), each with a count
 * {@code file_error:<reason>:<url-encoded path>}; raw and detail name the path and the cause; per file and New York
 * pickup date of its valid trips a count {@code file_date:YYYY-MM-DD:<url-encoded path>}. Reading and checking
 * share one step so that raw rows never cross a serialized edge. Options: the {@link InputFormat} and the checker.
 * Metrics: counters {@code rows}, {@code unreadable_files} and {@code truncated_files} in namespace {@value #STEP}.
 */
public final class ReadTripFiles extends PTransform<PCollection<String>, PCollection<CheckedTrip>> {
  public static final String STEP = "ReadTripFiles";

  private final InputFormat format;
  private final ValidateTrips.Checker checker;

  private ReadTripFiles(InputFormat format, ValidateTrips.Checker checker) {
    this.format = format;
    this.checker = checker;
  }

  public static ReadTripFiles of(InputFormat format, ValidateTrips.Checker checker) {
    return new ReadTripFiles(format, checker);
  }

  @Override
  public PCollection<CheckedTrip> expand(PCollection<String> paths) {
    return paths
        .apply("SpreadTripFiles", Reshuffle.viaRandomKey())
        .apply("ParseAndCheckTripRows", ParDo.of(new ReadFn(format, checker)))
        .setCoder(TripCoders.checkedTrip());
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

  private static final class ReadFn extends DoFn<String, CheckedTrip> {
    private final InputFormat format;
    private final ValidateTrips.Checker checker;
    private final Counter rows = Metrics.counter(STEP, "rows");
    private final Counter unreadable = Metrics.counter(STEP, "unreadable_files");
    private final Counter truncated = Metrics.counter(STEP, "truncated_files");
    private final Counter valid = ValidateTrips.Checker.validCounter();

    ReadFn(InputFormat format, ValidateTrips.Checker checker) {
      this.format = format;
      this.checker = checker;
    }

    @ProcessElement
    public void process(@Element String path, OutputReceiver<CheckedTrip> out) {
      rows.inc(checkFile(path, format, checker, valid, (checked, rawText) -> out.output(checked), unreadable, truncated));
    }
  }

  /** Receives each checked record of a file; {@code rawText} gives the row's text during the call. */
  public interface CheckedSink {
    void accept(CheckedTrip checked, Supplier<String> rawText);
  }

  /**
   * Reads and checks one file as this step does (the records, the file's error record, its counts) into {@code out},
   * and returns the rows read.
   */
  public static long checkFile(String path, InputFormat format, ValidateTrips.Checker checker, CheckedSink out) {
    return checkFile(
        path,
        format,
        checker,
        ValidateTrips.Checker.validCounter(),
        out,
        Metrics.counter(STEP, "unreadable_files"),
        Metrics.counter(STEP, "truncated_files"));
  }

  private static long checkFile(
      String path,
      InputFormat format,
      ValidateTrips.Checker checker,
      Counter valid,
      CheckedSink out,
      Counter unreadable,
      Counter truncated) {
    long read;
    Map<Integer, long[]> days = new HashMap<>();
    try {
      read =
          TripFileReader.readTyped(
              path,
              format,
              opener(path),
              (row, rawText) -> {
                CheckedTrip checked = checker.check(row, rawText, valid);
                if (checked.isTrip()) {
                  days.computeIfAbsent(checked.trip().getPickupEpochDay(), d -> new long[1])[0]++;
                }
                out.accept(checked, rawText);
              });
    } catch (UnreadableFileException e) {
      String detail = path + ": " + e.getMessage();
      RejectReason reason;
      read = e.rowsRead();
      if (read > 0) {
        truncated.inc();
        reason = RejectReason.TRUNCATED_FILE;
      } else {
        unreadable.inc();
        reason = RejectReason.UNREADABLE_FILE;
      }
      out.accept(CheckedTrip.rejected(RejectedRecord.of(reason, STEP, path, 0, detail, detail)), () -> detail);
      out.accept(
          CheckedTrip.count(
              CheckedTrip.FILE_ERROR_PREFIX + reason.code() + ":" + URLEncoder.encode(path, StandardCharsets.UTF_8),
              1),
          () -> "");
    }
    out.accept(CheckedTrip.count(CheckedTrip.READ_ROWS, read), () -> "");
    String encoded = URLEncoder.encode(path, StandardCharsets.UTF_8);
    days.forEach(
        (day, trips) ->
            out.accept(
                CheckedTrip.count(CheckedTrip.FILE_DATE_PREFIX + LocalDate.ofEpochDay(day) + ":" + encoded, trips[0]),
                () -> ""));
    return read;
  }
}
