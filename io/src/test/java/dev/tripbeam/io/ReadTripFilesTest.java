package dev.tripbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.model.RejectedRecord;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** ReadTripFiles in a pipeline over real slices and broken files: both outputs asserted. */
@ExtendWith(TestPipelineExtension.class)
class ReadTripFilesTest {
  @TempDir Path tmp;

  @Test
  void readsGoodFilesAndRejectsBrokenOnesWithoutStopping(TestPipeline p) throws Exception {
    List<String> head = RealData.yellowHead(10);
    Files.write(tmp.resolve("yellow_a.csv"), head);
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(tmp.resolve("yellow_b.csv.gz")))) {
      gz.write((String.join("\n", RealData.yellowHead(4)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Files.createFile(tmp.resolve("empty.csv"));
    Files.write(tmp.resolve("not_parquet.parquet"), head);
    List<String> expectedRaw = new ArrayList<>(head.subList(1, head.size()));
    expectedRaw.addAll(RealData.yellowHead(4).subList(1, 5));

    PCollectionTuple out =
        p.apply(Create.of(tmp.resolve("*").toString())).apply(ReadTripFiles.of(InputFormat.AUTO));

    PAssert.that(
            out.get(ReadTripFiles.RAW)
                .apply("RawLines", MapElements.into(TypeDescriptors.strings()).via(r -> r.getRaw())))
        .containsInAnyOrder(expectedRaw);
    PAssert.that(out.get(ReadTripFiles.UNREADABLE))
        .satisfies(
            rejected -> {
              List<String> files = new ArrayList<>();
              for (RejectedRecord r : rejected) {
                assertEquals("unreadable_file", r.getReason());
                assertEquals(ReadTripFiles.STEP, r.getStep());
                assertTrue(r.getRaw().startsWith(r.getSourceFile() + ": "), r.getRaw());
                files.add(Path.of(r.getSourceFile()).getFileName().toString());
              }
              files.sort(null);
              assertEquals(List.of("empty.csv", "not_parquet.parquet"), files);
              return null;
            });
    p.run();
  }
}
