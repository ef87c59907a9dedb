package dev.tripbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.model.RejectedRecord;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
      gz.write((String.join("\n", RealData.yellowHead(4)) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Files.createFile(tmp.resolve("empty.csv"));
    Files.write(tmp.resolve("not_parquet.parquet"), head);
    // A name with glob characters is read as the literal file it is.
    Files.write(tmp.resolve("yellow_[1]?.csv"), RealData.yellowHead(2));
    // A gzip cut mid-stream: the rows before the cut are kept, one truncated_file record stands for the rest.
    ArrayList<String> cutRows = new ArrayList<>(RealData.yellowHead(3100).subList(101, 3101));
    List<String> cutFile = new ArrayList<>(List.of(head.get(0)));
    cutFile.addAll(cutRows);
    byte[] whole = gzip(String.join("\n", cutFile) + "\n");
    Files.write(tmp.resolve("cut.csv.gz"), Arrays.copyOf(whole, whole.length / 2));
    List<String> paths = new ArrayList<>();
    for (String name :
        List.of("yellow_a.csv", "yellow_b.csv.gz", "empty.csv", "not_parquet.parquet", "yellow_[1]?.csv", "cut.csv.gz",
            "deleted_after_listing.csv")) {
      paths.add(tmp.resolve(name).toString());
    }
    ArrayList<String> expectedRaw = new ArrayList<>(head.subList(1, head.size()));
    expectedRaw.addAll(RealData.yellowHead(4).subList(1, 5));
    expectedRaw.addAll(RealData.yellowHead(2).subList(1, 3));

    PCollectionTuple out = p.apply(Create.of(paths)).apply(ReadTripFiles.of(InputFormat.AUTO));

    PAssert.that(
            out.get(ReadTripFiles.RAW)
                .apply("RawLines", MapElements.into(TypeDescriptors.strings()).via(r -> r.getRaw())))
        .satisfies(
            lines -> {
              List<String> fromWholeFiles = new ArrayList<>();
              long fromCut = 0;
              for (String line : lines) {
                if (expectedRaw.contains(line)) {
                  fromWholeFiles.add(line);
                } else {
                  assertTrue(cutRows.contains(line), "a row of the cut file: " + line);
                  fromCut++;
                }
              }
              assertEquals(expectedRaw.size(), fromWholeFiles.size(), fromWholeFiles::toString);
              assertTrue(fromCut > 100 && fromCut < 3000, "rows before the cut are kept: " + fromCut);
              return null;
            });
    PAssert.that(out.get(ReadTripFiles.UNREADABLE))
        .satisfies(
            rejected -> {
              List<String> files = new ArrayList<>();
              for (RejectedRecord r : rejected) {
                String name = Path.of(r.getSourceFile()).getFileName().toString();
                assertEquals(name.equals("cut.csv.gz") ? "truncated_file" : "unreadable_file", r.getReason(), name);
                assertEquals(ReadTripFiles.STEP, r.getStep());
                assertTrue(r.getRaw().startsWith(r.getSourceFile() + ": "), r.getRaw());
                assertTrue(r.getDetail().startsWith(r.getSourceFile() + ": "), r.getDetail());
                assertFalse(r.getDetail().contains("@"), "no Java object in " + r.getDetail());
                if (name.equals("cut.csv.gz")) {
                  assertTrue(r.getDetail().matches(".*\\(after \\d+ rows\\)$"), r.getDetail());
                }
                files.add(name);
              }
              files.sort(null);
              assertEquals(
                  List.of("cut.csv.gz", "deleted_after_listing.csv", "empty.csv", "not_parquet.parquet"), files);
              return null;
            });
    p.run();
  }

  private static byte[] gzip(String text) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
