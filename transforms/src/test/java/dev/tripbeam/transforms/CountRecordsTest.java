package dev.tripbeam.transforms;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class CountRecordsTest {
  @Test
  void countsPerLabel(TestPipeline p) {
    PCollection<String> words = p.apply(Create.of("unparseable", "missing_zone", "unparseable"));
    PAssert.that(words.apply("CountAll", CountRecords.as("read")))
        .containsInAnyOrder(KV.of("read", 3L));
    PAssert.that(words.apply("CountByWord", CountRecords.by((String w) -> "rejected." + w)))
        .containsInAnyOrder(KV.of("rejected.unparseable", 2L), KV.of("rejected.missing_zone", 1L));
    p.run();
  }
}
