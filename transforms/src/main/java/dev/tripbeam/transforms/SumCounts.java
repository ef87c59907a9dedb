package dev.tripbeam.transforms;

import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Sums, under one label, the counts a step emitted as data where it dropped records (copies removed by deduplication,
 * trips seen in earlier runs).
 *
 * <p>Input: counts. Output: one {@code KV(label, sum)} when there was any count, none otherwise (an absent label means
 * 0 to the run report).
 */
public final class SumCounts extends PTransform<PCollection<Long>, PCollection<KV<String, Long>>> {
  private final String label;

  private SumCounts(String label) {
    this.label = label;
  }

  public static SumCounts as(String label) {
    return new SumCounts(label);
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<Long> counts) {
    String l = label;
    return counts
        .apply(
            "LabelCounts",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via(n -> KV.of(l, n)))
        .apply("SumPerLabel", Sum.longsPerKey());
  }
}
