package dev.tripbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.transforms.TripRules;
import dev.tripbeam.transforms.ValidateTrips;
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
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** ReadTripFiles in a pipeline over real slices and broken files: rows, rejections, file records and counts. */
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

    ValidateTrips.Checker checker = ValidateTrips.Checker.of(TripRules.defaults(), ZoneTable.load(null));

    PCollection<CheckedTrip> out = p.apply(Create.of(paths)).apply(ReadTripFiles.of(InputFormat.AUTO, checker));

    PAssert.that(out)
        .satisfies(
            records -> {
              long rows = 0;
              long trips = 0;
              long datedTrips = 0;
              long readCounted = 0;
              long fromCut = 0;
              List<String> fileRecords = new ArrayList<>();
              List<String> fileErrorCounts = new ArrayList<>();
              for (CheckedTrip c : records) {
                switch (c.getKind()) {
                  case TRIP -> {
                    rows++;
                    trips++;
                  }
                  case COUNT -> {
                    if (c.getLabel().equals(CheckedTrip.READ_ROWS)) {
                      readCounted += c.getCount();
                    } else if (c.getLabel().startsWith(CheckedTrip.FILE_DATE_PREFIX)) {
                      // The head of the real January 2021 file: every pickup on New Year's Eve or Day.
                      assertTrue(
                          c.getLabel().matches("file_date:(2020-12-31|2021-01-01):%2F.*"), c.getLabel());
                      datedTrips += c.getCount();
                    } else {
                      assertTrue(c.getLabel().startsWith(CheckedTrip.FILE_ERROR_PREFIX), c.getLabel());
                      assertEquals(1, c.getCount());
                      fileErrorCounts.add(c.getLabel().substring(c.getLabel().lastIndexOf("%2F") + 3));
                    }
                  }
                  case REJECTED -> {
                    RejectedRecord r = c.getRejected();
                    String name = Path.of(r.getSourceFile()).getFileName().toString();
                    if (r.getStep().equals(ValidateTrips.STEP)) {
                      rows++;
                      boolean fromWholeFile = expectedRaw.contains(r.getRaw());
                      assertTrue(fromWholeFile || cutRows.contains(r.getRaw()), "a rejected row keeps its line: " + r.getRaw());
                      continue;
                    }
                    assertEquals(name.equals("cut.csv.gz") ? "truncated_file" : "unreadable_file", r.getReason(), name);
                    assertEquals(ReadTripFiles.STEP, r.getStep());
                    assertTrue(r.getRaw().startsWith(r.getSourceFile() + ": "), r.getRaw());
                    assertTrue(r.getDetail().startsWith(r.getSourceFile() + ": "), r.getDetail());
                    assertFalse(r.getDetail().contains("@"), "no Java object in " + r.getDetail());
                    if (name.equals("cut.csv.gz")) {
                      assertTrue(r.getDetail().matches(".*\\(after \\d+ rows\\)$"), r.getDetail());
                      fromCut = Long.parseLong(r.getDetail().replaceAll(".*\\(after (\\d+) rows\\)$", "$1"));
                    }
                    fileRecords.add(name);
                  }
                }
              }
              assertEquals(trips, datedTrips, "every valid trip is counted under its file and pickup date");
              fileRecords.sort(null);
              fileErrorCounts.sort(null);
              assertEquals(
                  List.of("cut.csv.gz", "deleted_after_listing.csv", "empty.csv", "not_parquet.parquet"), fileRecords);
              assertEquals(fileRecords, fileErrorCounts, "one file_error count per file record");
              assertTrue(fromCut > 100 && fromCut < 3000, "rows before the cut are kept: " + fromCut);
              // Every row read became a trip or a rejection, and the files' own counts say how many were read.
              assertEquals(expectedRaw.size() + fromCut, rows);
              assertEquals(rows, readCounted);
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
