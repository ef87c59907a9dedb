package dev.tripbeam.io;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes the run's counts as one text file of {@code label<TAB>count} lines, which the driver turns into the run
 * report once the pipeline has finished.
 *
 * <p>Input: the {@code KV(label, count)} collections of every counted step. Output: the file at {@code path}.
 */
public final class WriteRunCounts extends PTransform<PCollectionList<KV<String, Long>>, PDone> {
  private final String path;

  private WriteRunCounts(String path) {
    this.path = path;
  }

  public static WriteRunCounts to(String path) {
    return new WriteRunCounts(path);
  }

  @Override
  public PDone expand(PCollectionList<KV<String, Long>> counts) {
    return counts
        .apply("FlattenCounts", Flatten.pCollections())
        .apply(
            "FormatCounts",
            MapElements.into(TypeDescriptors.strings()).via(kv -> kv.getKey() + "\t" + kv.getValue()))
        .apply("WriteCountsFile", TextIO.write().to(path).withoutSharding());
  }
}
