package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.fixtures.DirectRun;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.report.RunReport;
import dev.tripbeam.run.Outcome;
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
    // A gzip cut mid-stream: its rows before the cut are kept, one truncated_file record stands for the rest.
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write((String.join("\n", real.subList(0, 2001)) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = gz.toByteArray();
    Files.write(in.resolve("cut.csv.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
    // Markers and hidden files a writer leaves beside its data: skipped by the listing, counted, never rejected.
    Files.createFile(in.resolve("_SUCCESS"));
    Files.writeString(in.resolve(".complete"), "done\n");
    Files.writeString(in.resolve(".truncated.csv.crc"), "crc");

    Outcome outcome = DirectRun.run(in.resolve("*").toString(), tmp.resolve("out"));
    RunReport report = outcome.report;

    long cutRows = report.read() - 10 - 1;
    assertTrue(cutRows > 100 && cutRows < 2000, "rows of cut.csv.gz before the cut: " + report.toJson());
    assertEquals(
        Map.of("unparseable", 2L, "unreadable_file", 3L, "truncated_file", 1L),
        Map.of(
            "unparseable", report.rejected().get("unparseable"),
            "unreadable_file", report.rejected().get("unreadable_file"),
            "truncated_file", report.rejected().get("truncated_file")),
        report.toJson());
    assertEquals(
        report.read(),
        report.valid() + report.duplicates() + report.rejectedTotal(),
        "7 rows, the cut file's rows, 3 unreadable files and 1 truncated file: " + report.toJson());
    assertTrue(report.reconciled());
    List<dev.tripbeam.lake.RawFile> manifest;
    try (dev.tripbeam.lake.IcebergLake tables =
        dev.tripbeam.lake.IcebergLake.open(null, "tripbeam", new dev.tripbeam.lake.LakeLayout(tmp.resolve("out").toString()))) {
      manifest = dev.tripbeam.lake.RawFilesLedger.read(tables.existingLedger());
    }
    Map<String, String> errors = new java.util.TreeMap<>();
    manifest.forEach(f -> errors.put(Path.of(f.path()).getFileName().toString(), f.error()));
    assertEquals(
        Map.of("cut.csv.gz", "truncated_file", "empty.csv", "unreadable_file", "missing_column.csv", "unreadable_file",
            "not_really.parquet", "unreadable_file", "truncated.csv", "", "wrong_types.csv", ""),
        errors,
        "the ledger records each file with its error: " + manifest);
    assertTrue(report.toJson().contains("\"hidden_or_marker_files_skipped\" : 3"), report.toJson());
    assertTrue(outcome.summary.contains("3 hidden or marker file(s) skipped"), outcome.summary);
    assertEquals(report.valid(), report.rowsWritten("processed_trips"));
    assertEquals(report.rejectedTotal(), report.rowsWritten("rejected"));

    List<String> rejected =
        Outputs.query(
            "select reason, step, regexp_replace(source_file, '.*/', ''), raw from read_parquet('"
                + tmp.resolve("out") + "/rejected/*.parquet') where source_file not like '%cut.csv.gz' order by 3, 1");
    List<String> truncated =
        Outputs.query(
            "select detail from read_parquet('" + tmp.resolve("out") + "/rejected/*.parquet') "
                + "where reason = 'truncated_file'");
    assertEquals(1, truncated.size(), truncated::toString);
    assertTrue(
        truncated.get(0).startsWith(in.resolve("cut.csv.gz") + ": ")
            && truncated.get(0).endsWith("(after " + cutRows + " rows)"),
        "the path, the cause and the rows read: " + truncated.get(0));
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
