package dev.tripbeam.transforms;

import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Counts records per label, as data (exact on every runner and independent of metrics support).
 *
 * <p>Input: any records. Output: one {@code KV(label, count)} per label that occurs; an absent label means 0.
 * The run report is built from these counts.
 */
public final class CountRecords<T> extends PTransform<PCollection<T>, PCollection<KV<String, Long>>> {
  private final SerializableFunction<T, String> label;

  private CountRecords(SerializableFunction<T, String> label) {
    this.label = label;
  }

  /** Every record counts under one fixed label. */
  public static <T> CountRecords<T> as(String label) {
    return new CountRecords<>(record -> label);
  }

  /** Each record counts under the label the function gives it. */
  public static <T> CountRecords<T> by(SerializableFunction<T, String> label) {
    return new CountRecords<>(label);
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<T> records) {
    return records
        .apply("LabelRecords", MapElements.into(TypeDescriptors.strings()).via(label))
        .apply("CountPerLabel", Count.perElement());
  }
}
