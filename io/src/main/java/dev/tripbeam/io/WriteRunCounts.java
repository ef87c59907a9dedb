package dev.tripbeam.io;

import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
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
  private final String tempDirectory;

  private WriteRunCounts(String path, String tempDirectory) {
    this.path = path;
    this.tempDirectory = tempDirectory;
  }

  /** Writes the counts file at {@code path}, staged in {@code tempDirectory}. */
  public static WriteRunCounts to(String path, String tempDirectory) {
    return new WriteRunCounts(path, tempDirectory);
  }

  @Override
  public PDone expand(PCollectionList<KV<String, Long>> counts) {
    return counts
        .apply("FlattenCounts", Flatten.pCollections())
        .apply(
            "FormatCounts",
            MapElements.into(TypeDescriptors.strings()).via(kv -> kv.getKey() + "\t" + kv.getValue()))
        .apply("WriteCountsFile", TextIO.write()
                .to(path)
                .withTempDirectory(FileSystems.matchNewResource(tempDirectory, true))
                .withoutSharding());
  }
}
