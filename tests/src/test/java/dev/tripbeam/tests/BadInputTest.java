package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.pipeline.RunReport;
import dev.tripbeam.pipeline.TripPipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken input files made from real rows: a truncated line, a row of wrong types, an empty file, a non-Parquet file
 * named .parquet, a CSV missing a column. Each ends rejected with the right reason, raw input and a detail naming the
 * file and the cause; marker and hidden files beside them are skipped and counted; nothing is lost, and the run
 * succeeds.
 */
class BadInputTest {
  @TempDir Path tmp;

  @Test
  void brokenFilesAndRowsAreRejectedAndTheRunSucceeds() throws Exception {
    List<String> real = RealFiles.yellowLines();
    String header = real.get(0);
    Path in = Files.createDirectories(tmp.resolve("raw"));
    // Rows 1-3 and a line cut mid-row with no newline, as the real file ends.
    Files.writeString(in.resolve("truncated.csv"), String.join("\n", real.subList(0, 4)) + "\n1,2021-0");
    String[] wrong = real.get(4).split(",", -1);
    wrong[3] = "one";
    wrong[10] = "8.5O";
    String wrongTypes = String.join(",", wrong);
    Files.write(in.resolve("wrong_types.csv"), List.of(header, wrongTypes, real.get(5), real.get(6)));
    Files.createFile(in.resolve("empty.csv"));
    Files.write(in.resolve("not_really.parquet"), real.subList(0, 10));
    List<String> noTotal = new ArrayList<>();
    for (String line : real.subList(0, 6)) {
      noTotal.add(line.substring(0, line.lastIndexOf(',', line.lastIndexOf(',') - 1)) + "," + line.substring(line.lastIndexOf(',') + 1));
    }
    Files.write(in.resolve("missing_column.csv"), noTotal);
    // Markers and hidden files a writer leaves beside its data: skipped by the listing, counted, never rejected.
    Files.createFile(in.resolve("_SUCCESS"));
    Files.writeString(in.resolve(".complete"), "done\n");
    Files.writeString(in.resolve(".truncated.csv.crc"), "crc");

    TripPipeline.Outcome outcome = DirectRun.run(in.resolve("*").toString(), tmp.resolve("out"));
    RunReport report = outcome.report;

    assertEquals(Map.of("unparseable", 2L, "unreadable_file", 3L), report.rejected());
    assertEquals(5, report.valid(), "rows 1-3 of truncated.csv and rows 5-6 of wrong_types.csv");
    assertEquals(0, report.duplicates());
    assertEquals(10, report.read(), "7 rows and 3 unreadable files: " + report.toJson());
    assertTrue(report.reconciled());
    assertTrue(report.toJson().contains("\"hidden_or_marker_files_skipped\" : 3"), report.toJson());
    assertTrue(outcome.summary.contains("3 hidden or marker file(s) skipped"), outcome.summary);
    assertEquals(5, report.rowsWritten("processed_trips"));
    assertEquals(5, report.rowsWritten("rejected"));

    List<String> rejected =
        Outputs.query(
            "select reason, step, regexp_replace(source_file, '.*/', ''), raw from read_parquet('"
                + tmp.resolve("out") + "/rejected/*.parquet') order by 3, 1");
    assertEquals(5, rejected.size(), rejected::toString);
    assertEquals("unreadable_file|ReadTripFiles|empty.csv", prefix(rejected.get(0)));
    assertTrue(rejected.get(0).contains("empty file"), rejected.get(0));
    assertEquals("unreadable_file|ReadTripFiles|missing_column.csv", prefix(rejected.get(1)));
    assertTrue(rejected.get(1).contains("total_amount"), rejected.get(1));
    assertEquals("unreadable_file|ReadTripFiles|not_really.parquet", prefix(rejected.get(2)));
    List<String> details =
        Outputs.query(
            "select detail from read_parquet('" + tmp.resolve("out") + "/rejected/*.parquet') where reason = "
                + "'unreadable_file' order by source_file");
    String notParquet = in.resolve("not_really.parquet").toString();
    assertTrue(
        details.get(2).startsWith(notParquet + ": " + notParquet + " is not a Parquet file."),
        "the path and the cause, no Java object: " + details.get(2));
    assertTrue(details.get(0).startsWith(in.resolve("empty.csv") + ": empty file"), details.get(0));
    assertEquals("unparseable|ValidateTrips|truncated.csv|1,2021-0", rejected.get(3));
    assertEquals("unparseable|ValidateTrips|wrong_types.csv|" + wrongTypes, rejected.get(4));

    long unreadable = Outputs.counter(outcome.result, "ReadTripFiles", "unreadable_files");
    assertEquals(3, unreadable);
    assertTrue(Files.readString(Path.of(outcome.reportPath), StandardCharsets.UTF_8).contains("\"reconciled\" : true"));
  }

  @Test
  void cleanInputLeavesAnEmptyButReadableRejectedZone() throws Exception {
    Path clean = Files.write(tmp.resolve("clean.csv"), RealFiles.yellowLines().subList(0, 21));
    RunReport report = DirectRun.run(clean.toString(), tmp.resolve("out")).report;
    assertEquals(20, report.valid());
    assertEquals(Map.of(), report.rejected());
    assertEquals(
        List.of("0"), Outputs.query("select count(*) from read_parquet('" + tmp.resolve("out") + "/rejected/*.parquet')"));
    assertEquals(
        List.of("reason|VARCHAR"),
        Outputs.query(
            "select column_name, column_type from (describe select * from read_parquet('" + tmp.resolve("out")
                + "/rejected/*.parquet')) where column_name = 'reason'"));
  }

  private static String prefix(String row) {
    String[] f = row.split("\\|");
    return f[0] + "|" + f[1] + "|" + f[2];
  }
}
