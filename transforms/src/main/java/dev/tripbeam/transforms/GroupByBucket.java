package dev.tripbeam.transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Brings together every element of one bucket, shipping elements in batches rather than one by one.
 *
 * <p>Input: elements of any type. Output: per bucket (0 to {@link #BUCKETS} - 1, {@link #bucketOf} a hash of the
 * element) and window, the batches of that bucket's elements. Elements that must meet (copies of one trip, the trips
 * of one user-day) need only the same bucket; the consumer groups them within the bucket in memory.
 *
 * <p>Why: a keyed step on Beam's Flink batch translation sorts what it shuffles, and Beam's key comparator has no
 * normalized keys (apache/beam#409, #30139), so each of the millions of comparisons deserializes two records.
 * Shuffling one batch per bucket and bundle (each sender holds up to {@link #FLUSH_ELEMENTS} elements before it ships
 * them) sorts a few hundred thousand batches instead of every element. Memory: a sender holds at most
 * {@link #FLUSH_ELEMENTS} elements per window; a consumer holds one bucket, about 1/{@value #BUCKETS} of the input.
 */
public final class GroupByBucket<T> extends PTransform<PCollection<T>, PCollection<KV<Integer, Iterable<List<T>>>>> {
  public static final int BUCKETS = 1024;
  public static final int FLUSH_ELEMENTS = 200_000;

  private final SerializableFunction<T, Integer> hash;
  private final Coder<T> coder;
  private final int flushElements;

  private GroupByBucket(SerializableFunction<T, Integer> hash, Coder<T> coder, int flushElements) {
    this.hash = hash;
    this.coder = coder;
    this.flushElements = flushElements;
  }

  /** Buckets elements by {@link #bucketOf} their {@code hash}; {@code coder} encodes one element. */
  public static <T> GroupByBucket<T> of(SerializableFunction<T, Integer> hash, Coder<T> coder) {
    return new GroupByBucket<>(hash, coder, FLUSH_ELEMENTS);
  }

  /** Ships a window's batches whenever a sender holds {@code elements} of it (default {@value #FLUSH_ELEMENTS}). */
  public GroupByBucket<T> withFlushElements(int elements) {
    if (elements < 1) {
      throw new IllegalArgumentException("flush elements must be positive, got " + elements);
    }
    return new GroupByBucket<>(hash, coder, elements);
  }

  /** The bucket of a hash code: its bits mixed (similar keys have similar {@code String} hashes), then the low ones. */
  public static int bucketOf(int hash) {
    int h = hash;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h & (BUCKETS - 1);
  }

  @Override
  public PCollection<KV<Integer, Iterable<List<T>>>> expand(PCollection<T> elements) {
    return elements
        .apply("BatchByBucket", ParDo.of(new BatchFn<>(hash, flushElements)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(coder)))
        .apply("GroupBatchesByBucket", GroupByKey.create());
  }

  /** Holds elements per window and bucket; ships a window's batches when it holds enough, and all at bundle end. */
  static final class BatchFn<T> extends DoFn<T, KV<Integer, List<T>>> {
    private final SerializableFunction<T, Integer> hash;
    private final int flushElements;
    private transient Map<BoundedWindow, Buffer<T>> buffers;

    BatchFn(SerializableFunction<T, Integer> hash, int flushElements) {
      this.hash = hash;
      this.flushElements = flushElements;
    }

    @StartBundle
    public void start() {
      buffers = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element T element, BoundedWindow window, OutputReceiver<KV<Integer, List<T>>> out) {
      Buffer<T> buffer = buffers.computeIfAbsent(window, w -> new Buffer<>());
      buffer.add(bucketOf(hash.apply(element)), element);
      if (buffer.size >= flushElements) {
        buffer.drain(out::output);
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      for (Map.Entry<BoundedWindow, Buffer<T>> entry : buffers.entrySet()) {
        BoundedWindow window = entry.getKey();
        entry.getValue().drain(batch -> c.output(batch, window.maxTimestamp(), window));
      }
      buffers = null;
    }
  }

  private static final class Buffer<T> {
    private final Map<Integer, List<T>> batches = new HashMap<>();
    private int size;

    void add(int bucket, T element) {
      batches.computeIfAbsent(bucket, b -> new ArrayList<>()).add(element);
      size++;
    }

    void drain(Consumer<KV<Integer, List<T>>> out) {
      for (Map.Entry<Integer, List<T>> batch : batches.entrySet()) {
        out.accept(KV.of(batch.getKey(), batch.getValue()));
      }
      batches.clear();
      size = 0;
    }
  }
}
