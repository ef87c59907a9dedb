package dev.tripbeam.io;

import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes each pane of a windowed, triggered stream as files, exactly once across failures and restarts.
 *
 * <p>Input: values of {@code T} in any windows and triggers. Output: the paths of the files written. Per pane and
 * partition value (Hive-style {@code column=value/}, or none) one file {@code pane-<index>-<random>.<suffix>}, named
 * as the pane fires and checkpointed with it. The writing step requires
 * stable input ({@code @RequiresStableInput}): on Flink it buffers each pane in checkpointed state and writes it
 * only once the checkpoint holding the pane has completed, so a pane's file appears only after the checkpoint that
 * covers it; a job restored from that checkpoint (or a later savepoint) writes the buffered panes again under the
 * same names, which replaces them with equal content, and never sees the elements of a completed pane again. A
 * file is written under {@code tempDirectory} and renamed into place, so readers never see a partial file; committing
 * the written files to a table is the next step's. Options: the directory, its temporary directory, the sink and file
 * suffix, the partition column. Metrics: counters {@code files} and {@code rows} in namespace {@value #STEP}, counted
 * as each pane is named, once per pane (Beam's Flink runner reports no metrics of a stable-input step: it processes the
 * buffered panes outside the bundle whose metrics it publishes).
 */
public final class WritePaneFiles<T> extends PTransform<PCollection<T>, PCollection<String>> {
  public static final String STEP = "WritePaneFiles";

  /** Makes a new sink for one file. */
  public interface SinkFactory<T> extends Serializable {
    FileIO.Sink<T> create();
  }

  private final String directory;
  private final String tempDirectory;
  private final SinkFactory<T> sink;
  private final String suffix;
  private final @Nullable String partitionColumn;
  private final @Nullable SerializableFunction<T, String> partitionValue;

  private WritePaneFiles(
      String directory,
      String tempDirectory,
      SinkFactory<T> sink,
      String suffix,
      @Nullable String partitionColumn,
      @Nullable SerializableFunction<T, String> partitionValue) {
    this.directory = directory;
    this.tempDirectory = tempDirectory;
    this.sink = sink;
    this.suffix = suffix;
    this.partitionColumn = partitionColumn;
    this.partitionValue = partitionValue;
  }

  /** Snappy Parquet files of the layout's columns, as the batch job writes them. */
  public static <T> WritePaneFiles<T> parquet(String directory, String tempDirectory, AvroRecords.Layout<T> layout) {
    return new WritePaneFiles<>(
        directory, tempDirectory, () -> new WriteParquet.LayoutSink<>(layout), "parquet", null, null);
  }

  /** Text files, a line per value. */
  public static WritePaneFiles<String> text(String directory, String tempDirectory, String suffix) {
    return new WritePaneFiles<>(directory, tempDirectory, TextIO::sink, suffix, null, null);
  }

  public WritePaneFiles<T> partitionedBy(String column, SerializableFunction<T, String> value) {
    return new WritePaneFiles<>(directory, tempDirectory, sink, suffix, column, value);
  }

  @Override
  public PCollection<String> expand(PCollection<T> values) {
    Coder<T> coder = values.getCoder();
    SerializableFunction<T, String> partition = partitionValue;
    String column = partitionColumn;
    return values
        .apply(
            "KeyByPartition",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), new TypeDescriptor<T>() {}))
                .via((T v) -> KV.of(partition == null ? "" : column + "=" + partition.apply(v), v)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
        .apply("GroupPaneByPartition", GroupByKey.create())
        .apply("NamePaneFile", ParDo.of(new NameFn<T>()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(coder)))
        .apply("WritePaneFile", ParDo.of(new WriteFn<>(directory, tempDirectory, sink, suffix)))
        .setCoder(StringUtf8Coder.of());
  }

  /**
   * Names each pane's file {@code <partition>/pane-<index>-<random>} as the pane fires, before the stable-input
   * boundary: the name travels with the pane into the checkpoint, so a restored job writes a buffered pane under the
   * name it had, and a pane fired anew (also one whose index restarted after a restore, or whose rows equal an earlier
   * pane's) gets a name no file has.
   */
  private static final class NameFn<T> extends DoFn<KV<String, Iterable<T>>, KV<String, Iterable<T>>> {
    private final Counter files = Metrics.counter(STEP, "files");
    private final Counter rows = Metrics.counter(STEP, "rows");

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<T>> pane, PaneInfo paneInfo, OutputReceiver<KV<String, Iterable<T>>> out) {
      long n = 0;
      for (T ignored : pane.getValue()) {
        n++;
      }
      rows.inc(n);
      files.inc();
      String name = String.format("pane-%06d-%s", paneInfo.getIndex(), UUID.randomUUID().toString().substring(0, 18));
      out.output(KV.of(pane.getKey().isEmpty() ? name : pane.getKey() + "/" + name, pane.getValue()));
    }
  }

  private static final class WriteFn<T> extends DoFn<KV<String, Iterable<T>>, String> {
    private final String directory;
    private final String tempDirectory;
    private final SinkFactory<T> sink;
    private final String suffix;

    WriteFn(String directory, String tempDirectory, SinkFactory<T> sink, String suffix) {
      this.directory = directory;
      this.tempDirectory = tempDirectory;
      this.sink = sink;
      this.suffix = suffix;
    }

    @RequiresStableInput
    @ProcessElement
    public void process(@Element KV<String, Iterable<T>> pane, OutputReceiver<String> out) throws IOException {
      String path = directory + "/" + pane.getKey() + "." + suffix;
      ResourceId target = FileSystems.matchNewResource(path, false);
      ResourceId temp = FileSystems.matchNewResource(tempDirectory + "/" + UUID.randomUUID() + "." + suffix, false);
      FileIO.Sink<T> writer = sink.create();
      try (WritableByteChannel channel = FileSystems.create(temp, "application/octet-stream")) {
        writer.open(channel);
        for (T value : pane.getValue()) {
          writer.write(value);
        }
        writer.flush();
      }
      FileSystems.rename(List.of(temp), List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      out.output(target.toString());
    }
  }
}
