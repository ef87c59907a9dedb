package dev.tripbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class GroupByBucketTest {

  /** Each bucket as "bucket:sorted elements", whatever the batches and their order. */
  private static PCollection<String> describe(PCollection<KV<Integer, Iterable<List<String>>>> grouped) {
    return grouped.apply(
        MapElements.into(TypeDescriptors.strings())
            .via(
                kv -> {
                  List<String> all = new ArrayList<>();
                  kv.getValue().forEach(all::addAll);
                  all.sort(null);
                  return kv.getKey() + ":" + all;
                }));
  }

  private static List<String> expected(List<String> elements) {
    Map<Integer, List<String>> buckets = new TreeMap<>();
    for (String e : elements) {
      buckets.computeIfAbsent(GroupByBucket.bucketOf(e.hashCode()), b -> new ArrayList<>()).add(e);
    }
    List<String> out = new ArrayList<>();
    buckets.forEach(
        (bucket, list) -> {
          list.sort(null);
          out.add(bucket + ":" + list);
        });
    return out;
  }

  @Test
  void everyElementReachesItsBucketOnceWhenSendersShipManyBatches(TestPipeline p) {
    List<String> elements = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      elements.add("trip-" + i);
    }
    elements.add("trip-7"); // a copy meets its original in one bucket
    List<String> out = expected(elements);
    assertTrue(out.size() > 900, "similar keys spread over the buckets: " + out.size());

    PCollection<KV<Integer, Iterable<List<String>>>> grouped =
        p.apply(Create.of(elements).withCoder(StringUtf8Coder.of()))
            .apply(GroupByBucket.of(String::hashCode, StringUtf8Coder.of()).withFlushElements(7));
    PAssert.that(describe(grouped)).containsInAnyOrder(out);
    p.run().waitUntilFinish();
  }

  @Test
  void keepsWindowsApart(TestPipeline p) {
    Instant t0 = new Instant(0);
    Instant t1 = t0.plus(Duration.standardMinutes(90));
    PCollection<KV<Integer, Iterable<List<String>>>> grouped =
        p.apply(
                Create.timestamped(
                        TimestampedValue.of("a", t0), TimestampedValue.of("b", t0), TimestampedValue.of("a", t1))
                    .withCoder(StringUtf8Coder.of()))
            .apply(Window.into(FixedWindows.of(Duration.standardHours(1))))
            .apply(GroupByBucket.of(String::hashCode, StringUtf8Coder.of()));
    IntervalWindow first = new IntervalWindow(t0, Duration.standardHours(1));
    IntervalWindow second = new IntervalWindow(t0.plus(Duration.standardHours(1)), Duration.standardHours(1));
    PCollection<String> buckets = describe(grouped);
    PAssert.that(buckets).inWindow(first).containsInAnyOrder(expected(List.of("a", "b")));
    PAssert.that(buckets).inWindow(second).containsInAnyOrder(expected(List.of("a")));
    p.run().waitUntilFinish();
  }

  @Test
  void refusesAFlushSizeBelowOne() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GroupByBucket.of(String::hashCode, StringUtf8Coder.of()).withFlushElements(0));
    assertEquals("flush elements must be positive, got 0", e.getMessage());
  }
}
