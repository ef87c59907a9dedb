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
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
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
  void parquetRowsRenderTheirRawTextOnlyWhenAsked() throws Exception {
    Path file = RealData.GREEN_PARQUET;
    List<String> rendered = new ArrayList<>();
    long[] rows = {0};
    long n =
        TripFileReader.readRows(
            file.toString(),
            InputFormat.AUTO,
            TripFileReader.localOpener(file),
            (row, rawText) -> {
              assertEquals("", row.getRaw(), "no text rendered for a Parquet row up front");
              if (rows[0]++ % 10_000 == 0) {
                rendered.add(rawText.get());
              }
            });
    assertEquals(64_215, n);
    assertEquals(7, rendered.size());
    List<RawTrip> eager = read(file);
    for (int i = 0; i < rendered.size(); i++) {
      assertEquals(eager.get(i * 10_000).getRaw(), rendered.get(i), "the same text as the eager read");
    }
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

  @Test
  void parquetWithACorruptSecondRowGroupKeepsTheFirstAndSaysHowManyRowsItRead() throws Exception {
    // 3,000 app-format trips in row groups of about 16 KiB.
    Schema schema =
        SchemaBuilder.record("trip").fields()
            .requiredString("trip_id").requiredString("user_id")
            .name("pickup_ts").type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .name("dropoff_ts").type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .requiredInt("pu_zone_id").requiredInt("do_zone_id").requiredDouble("distance_miles")
            .requiredLong("fare_cents").requiredLong("tip_cents").requiredLong("tolls_cents").requiredLong("total_cents")
            .optionalInt("passenger_count").optionalInt("payment_type")
            .endRecord();
    Path file = tmp.resolve("app.parquet");
    int rows = 3000;
    try (ParquetWriter<GenericRecord> writer =
        AvroParquetWriter.<GenericRecord>builder(new org.apache.parquet.io.LocalOutputFile(file))
            .withSchema(schema)
            .withRowGroupSize(16 * 1024L)
            .withPageSize(4 * 1024)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build()) {
      for (int i = 0; i < rows; i++) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("trip_id", String.format("t%06d", i));
        r.put("user_id", "u" + (i % 97));
        r.put("pickup_ts", 1_709_542_800_000_000L + i * 60_000_000L);
        r.put("dropoff_ts", 1_709_542_800_000_000L + i * 60_000_000L + 600_000_000L);
        r.put("pu_zone_id", 142);
        r.put("do_zone_id", 43);
        r.put("distance_miles", 1.5 + (i % 10) / 10.0);
        r.put("fare_cents", 900L + i % 50);
        r.put("tip_cents", 100L);
        r.put("tolls_cents", 0L);
        r.put("total_cents", 1000L + i % 50);
        r.put("passenger_count", 1);
        r.put("payment_type", 1);
        writer.write(r);
      }
    }
    List<BlockMetaData> groups;
    try (ParquetFileReader footer =
        ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.conf.Configuration()))) {
      groups = footer.getFooter().getBlocks();
    }
    assertTrue(groups.size() >= 3, "several row groups: " + groups.size());
    long firstGroupRows = groups.get(0).getRowCount();
    // Overwrite the middle of the second row group's column chunks with garbage.
    BlockMetaData second = groups.get(1);
    byte[] bytes = Files.readAllBytes(file);
    long start = second.getStartingPos();
    for (long i = start + 64; i < start + second.getCompressedSize() - 64; i++) {
      bytes[(int) i] = (byte) (i * 31);
    }
    Files.write(file, bytes);

    List<RawTrip> out = new ArrayList<>();
    UnreadableFileException e =
        assertThrows(
            UnreadableFileException.class,
            () -> TripFileReader.read(file.toString(), InputFormat.AUTO, TripFileReader.localOpener(file), out::add));
    assertTrue(out.size() >= firstGroupRows && out.size() < rows, "the rows before the damage: " + out.size());
    assertEquals(out.size(), e.rowsRead());
    assertTrue(e.getMessage().endsWith("(after " + out.size() + " rows)"), e.getMessage());
    assertEquals("t000000", out.get(0).getTripId());
  }
}
