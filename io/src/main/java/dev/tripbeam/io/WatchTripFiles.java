package dev.tripbeam.io;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.transforms.EventClock;
import dev.tripbeam.transforms.TripCoders;
import dev.tripbeam.transforms.ValidateTrips;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Watches a raw prefix and reads every trip file that lands in it, checked and stamped with event time.
 *
 * <p>Input: a folder or S3 prefix (every file under it) or a glob, on any Beam file system, listed every {@code
 * pollInterval}; hidden and marker files (names starting with '.' or '_') are skipped, as the batch job skips them,
 * so a producer that writes under such a name and renames when done is never read half-written (S3 objects appear
 * whole). Output: {@link CheckedTrip}s as {@link ReadTripFiles} gives them, each trip stamped with its pickup and
 * rejected as {@code late_trip} (with its raw row) when the watermark had passed its day plus the lateness ({@link
 * EventClock}, as {@link ReadTripEvents} does per Kafka partition). The watermark moves after each whole file, to its
 * latest pickup minus the out-of-orderness, and never while the prefix is quiet: a file of past days that lands after
 * hours of silence is processed like any other, and only a later file's trips close a day. One reader lists and reads
 * the prefix (several readers would each hold the watermark until a file came their way). It reads one file at a time
 * into memory (streaming raw files are expected to be small and many) and keeps, in each checkpoint, the files it has finished, the file it is in and how many of its records it
 * has emitted: a restored job reads every file exactly once. The list of finished files grows with the prefix: move
 * processed files away (or start a new prefix) now and then. Options: the prefix, the format, the checker, the poll
 * interval, the maximum out-of-orderness and the allowed lateness.
 */
public final class WatchTripFiles extends PTransform<PBegin, PCollection<CheckedTrip>> {
  public static final String STEP = "WatchTripFiles";

  private final Source source;

  private WatchTripFiles(Source source) {
    this.source = source;
  }

  public static WatchTripFiles of(
      String prefix,
      InputFormat format,
      ValidateTrips.Checker checker,
      Duration pollInterval,
      Duration outOfOrderness,
      Duration lateness) {
    String pattern = prefix.contains("*") || prefix.contains("?") ? prefix : strip(prefix) + "/**";
    return new WatchTripFiles(new Source(pattern, format, checker, pollInterval, outOfOrderness, lateness, 0, 1));
  }

  private static String strip(String prefix) {
    return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  @Override
  public PCollection<CheckedTrip> expand(PBegin begin) {
    return begin.apply("WatchRawFiles", Read.from(source)).setCoder(TripCoders.checkedTrip());
  }

  /** What a reader has done: the files it finished, the one it is in, its records emitted, the watermark. */
  static final class Mark implements UnboundedSource.CheckpointMark, Serializable {
    private static final long serialVersionUID = 1L;
    final TreeSet<String> done;
    final @Nullable String current;
    final long emitted;
    final long watermarkMillis;

    Mark(TreeSet<String> done, @Nullable String current, long emitted, long watermarkMillis) {
      this.done = done;
      this.current = current;
      this.emitted = emitted;
      this.watermarkMillis = watermarkMillis;
    }

    @Override
    public void finalizeCheckpoint() {}
  }

  static final class Source extends UnboundedSource<CheckedTrip, Mark> {
    private static final long serialVersionUID = 1L;
    final String pattern;
    final InputFormat format;
    final ValidateTrips.Checker checker;
    final Duration pollInterval;
    final Duration outOfOrderness;
    final Duration lateness;
    final int split;
    final int splits;

    Source(
        String pattern,
        InputFormat format,
        ValidateTrips.Checker checker,
        Duration pollInterval,
        Duration outOfOrderness,
        Duration lateness,
        int split,
        int splits) {
      this.pattern = pattern;
      this.format = format;
      this.checker = checker;
      this.pollInterval = pollInterval;
      this.outOfOrderness = outOfOrderness;
      this.lateness = lateness;
      this.split = split;
      this.splits = splits;
    }

    @Override
    public List<Source> split(int desiredNumSplits, PipelineOptions options) {
      return List.of(this);
    }

    @Override
    public UnboundedReader<CheckedTrip> createReader(PipelineOptions options, @Nullable Mark mark) {
      FileSystems.setDefaultPipelineOptions(options);
      return new PrefixReader(this, mark);
    }

    @Override
    public Coder<Mark> getCheckpointMarkCoder() {
      return SerializableCoder.of(Mark.class);
    }

    @Override
    public Coder<CheckedTrip> getOutputCoder() {
      return TripCoders.checkedTrip();
    }

    /** Whether this reader reads {@code path}: always for a new job; a checkpoint of several readers keeps its share. */
    boolean owns(String path) {
      return Math.floorMod(path.hashCode(), splits) == split;
    }
  }

  /** A record read from a file, with the row's text kept for a trip in case it turns out late. */
  private record Pending(CheckedTrip checked, @Nullable String raw) {}

  private static final class PrefixReader extends UnboundedSource.UnboundedReader<CheckedTrip> {
    private final Source source;
    private final EventClock clock;
    private final TreeSet<String> done;
    private final Deque<String> files = new ArrayDeque<>();
    private final Deque<Pending> queue = new ArrayDeque<>();
    private @Nullable String current;
    private long emitted;
    private long skip;
    private long lastPoll;
    private @Nullable CheckedTrip record;
    private Instant timestamp = Instant.EPOCH;

    PrefixReader(Source source, @Nullable Mark mark) {
      this.source = source;
      this.done = mark == null ? new TreeSet<>() : new TreeSet<>(mark.done);
      this.clock =
          new EventClock(
              source.outOfOrderness, source.lateness, mark == null ? null : new Instant(mark.watermarkMillis));
      if (mark != null && mark.current != null) {
        files.add(mark.current);
        skip = mark.emitted;
      }
    }

    @Override
    public boolean start() throws IOException {
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      while (true) {
        if (!queue.isEmpty()) {
          emit(queue.poll());
          if (queue.isEmpty()) {
            finishFile();
          }
          return true;
        }
        if (!files.isEmpty()) {
          load(files.poll());
          continue;
        }
        long now = System.currentTimeMillis();
        if (now - lastPoll < source.pollInterval.getMillis()) {
          return false;
        }
        lastPoll = now;
        poll();
        if (files.isEmpty()) {
          return false;
        }
      }
    }

    private void poll() throws IOException {
      MatchResult match = FileSystems.match(source.pattern, EmptyMatchTreatment.ALLOW);
      if (match.status() != MatchResult.Status.OK && match.status() != MatchResult.Status.NOT_FOUND) {
        throw new IOException("cannot list " + source.pattern + ": " + match.status());
      }
      Set<String> found = new TreeSet<>();
      for (MatchResult.Metadata m : match.metadata()) {
        String name = m.resourceId().getFilename();
        String path = m.resourceId().toString();
        if (name != null && !name.startsWith(".") && !name.startsWith("_") && source.owns(path) && !done.contains(path)
            && !files.contains(path)) {
          found.add(path);
        }
      }
      files.addAll(found);
    }

    /** Reads a file into the queue, dropping the records a restored checkpoint had emitted already. */
    private void load(String path) {
      current = path;
      List<Pending> records = new ArrayList<>();
      ReadTripFiles.checkFile(
          path,
          source.format,
          source.checker,
          (checked, rawText) -> records.add(new Pending(checked, checked.isTrip() ? rawText.get() : null)));
      long drop = Math.min(skip, records.size());
      queue.addAll(records.subList((int) drop, records.size()));
      emitted = drop;
      skip = 0;
      if (queue.isEmpty()) {
        finishFile();
      }
    }

    /** The current file is emitted whole: it is done, and its pickups move the watermark. */
    private void finishFile() {
      done.add(current);
      current = null;
      emitted = 0;
      clock.settle();
    }

    private void emit(Pending pending) {
      emitted++;
      CheckedTrip checked = pending.checked();
      if (!checked.isTrip()) {
        record = checked;
        timestamp = clock.timestamp(null);
        return;
      }
      long pickup = Math.floorDiv(checked.trip().getPickupMicros(), 1_000L);
      timestamp = clock.timestamp(pickup);
      record =
          timestamp.getMillis() == pickup ? checked : EventClock.lateTrip(checked.trip(), STEP, pending.raw());
    }

    @Override
    public CheckedTrip getCurrent() {
      if (record == null) {
        throw new NoSuchElementException();
      }
      return record;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return timestamp;
    }

    @Override
    public Instant getWatermark() {
      return clock.watermark();
    }

    @Override
    public Mark getCheckpointMark() {
      return new Mark(new TreeSet<>(done), current, emitted, clock.watermark().getMillis());
    }

    @Override
    public UnboundedSource<CheckedTrip, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}
