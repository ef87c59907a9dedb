package dev.tripbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.model.RawTrip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file reader on the real TLC files, as published (dirty), and on broken files derived from them. */
class TripFileReaderTest {
  @TempDir Path tmp;

  private static List<RawTrip> read(Path file) throws UnreadableFileException {
    List<RawTrip> rows = new ArrayList<>();
    TripFileReader.read(file.toString(), InputFormat.AUTO, TripFileReader.localOpener(file), rows::add);
    return rows;
  }

  @Test
  void yellowCsvKeepsEveryRowIncludingTheTruncatedLastLine() throws Exception {
    List<RawTrip> rows = read(RealData.YELLOW_CSV);
    assertEquals(22_793, rows.size());
    RawTrip first = rows.get(0);
    assertEquals("yellow", first.getSource());
    assertEquals("2021-01-01 00:30:10", first.getPickup());
    assertEquals("142", first.getPuZoneId());
    assertEquals("11.8", first.getTotal());
    assertNull(first.getStructureError());
    RawTrip last = rows.get(rows.size() - 1);
    assertEquals("1,2021-0", last.getRaw());
    assertEquals("expected 18 fields, found 2", last.getStructureError());
    assertEquals(22_793, last.getRowNumber());
  }

  @Test
  void greenParquetWithZstdReadsAsLocalTimes() throws Exception {
    List<RawTrip> rows = read(RealData.GREEN_PARQUET);
    assertEquals(64_215, rows.size());
    RawTrip first = rows.get(0);
    assertEquals("green", first.getSource());
    assertTrue(first.getPickup().startsWith("2023-1"), first.getPickup());
    assertTrue(first.getRaw().startsWith("{"), "a JSON rendering of the row");
    long nullPayment = rows.stream().filter(r -> r.getPaymentType() == null).count();
    assertTrue(nullPayment > 4000, "the real file has ~4,900 rows with null payment_type: " + nullPayment);
  }

  @Test
  void gzippedSnakeCaseSampleIsYellow() throws Exception {
    List<RawTrip> rows = read(RealData.GE_2019_01);
    assertEquals(10_000, rows.size());
    assertEquals("yellow", rows.get(0).getSource());
    assertNotNull(rows.get(0).getPuZoneId());
  }

  @Test
  void emptyFileIsUnreadable() throws Exception {
    Path empty = Files.createFile(tmp.resolve("empty.csv"));
    UnreadableFileException e = assertThrows(UnreadableFileException.class, () -> read(empty));
    assertTrue(e.getMessage().contains("empty file"), e.getMessage());
  }

  @Test
  void nonParquetNamedParquetIsUnreadable() throws Exception {
    Path fake = tmp.resolve("yellow_tripdata_2021-01.parquet");
    Files.copy(RealData.YELLOW_CSV, fake);
    assertThrows(UnreadableFileException.class, () -> read(fake));
    Path zero = Files.createFile(tmp.resolve("zero.parquet"));
    assertThrows(UnreadableFileException.class, () -> read(zero));
  }

  @Test
  void csvWithoutARequiredColumnIsUnreadable() throws Exception {
    List<String> lines = new ArrayList<>();
    for (String line : RealData.yellowHead(5)) {
      lines.add(line.substring(line.indexOf(',') + 1));
    }
    Path noVendor = Files.write(tmp.resolve("no_vendor.csv"), lines);
    UnreadableFileException e = assertThrows(UnreadableFileException.class, () -> read(noVendor));
    assertTrue(e.getMessage().contains("vendorid"), e.getMessage());
  }

  @Test
  void wrongFieldCountIsMarkedNotDropped() throws Exception {
    List<String> lines = new ArrayList<>(RealData.yellowHead(3));
    lines.add("2,2021-01-01 00:10:00,oops");
    lines.add("");
    Path file = Files.write(tmp.resolve("dirty.csv"), lines);
    List<RawTrip> rows = read(file);
    assertEquals(5, rows.size());
    assertEquals("expected 18 fields, found 3", rows.get(3).getStructureError());
    assertEquals("expected 18 fields, found 1", rows.get(4).getStructureError());
  }
}
