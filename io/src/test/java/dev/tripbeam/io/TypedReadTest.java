package dev.tripbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.transforms.TripFields;
import dev.tripbeam.transforms.TripRules;
import dev.tripbeam.transforms.TripValues;
import dev.tripbeam.transforms.ValidateTrips;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed Parquet read and the text read agree on every row of real files, dirty rows included: the same text, the
 * typed values equal to the values of that text, and the same checked outcome (the valid trip, or the rejection with
 * its reason, raw input and detail). The real TLC green month as published, and Parquet written by DuckDB from the real
 * yellow CSV, the monthly yellow samples and the app's JSON lines, with the types DuckDB infers.
 */
class TypedReadTest {
  @TempDir static Path tmp;

  private static ValidateTrips.Checker checker;
  private static final Counter VALID = ValidateTrips.Checker.validCounter();

  @BeforeAll
  static void setUp() throws Exception {
    checker = ValidateTrips.Checker.of(TripRules.defaults(), ZoneTable.load(null));
  }

  @Test
  void greenMonthAsPublished() throws Exception {
    assertAgree(RealData.GREEN_PARQUET, 64_215, 0.95);
  }

  @Test
  void yellowCsvAsDuckDbTypesIt() throws Exception {
    Path file =
        duckDb(
            "yellow.parquet",
            "select * from read_csv('" + RealData.YELLOW_CSV + "', ignore_errors = true, header = true)");
    assertAgree(file, 22_792, 0.95);
  }

  @Test
  void theMonthlyYellowSamplesAsDuckDbTypesThem() throws Exception {
    Path file =
        duckDb(
            "samples.parquet",
            "select * from read_csv('" + RealData.DIR.resolve("ge_yellow_samples") + "/*.csv.gz',"
                + " union_by_name = true, header = true, strict_mode = false)");
    assertAgree(file, 40_000, 0.95);
  }

  @Test
  void appJsonLinesAsDuckDbTypesThem() throws Exception {
    Path file =
        duckDb(
            "app.parquet",
            "select * from read_json_auto('" + RealData.DIR.resolveSibling("app") + "/app_trips_2024-03-04.jsonl.gz')");
    assertAgree(file, 6_000, 0.95);
  }

  /**
   * Values whose text a typed read could get wrong: fractions of a cent (1.005 is 101 cents from its text, 100 from
   * binary arithmetic), negative zero, integral and fractional doubles in integer columns, non-finite numbers, nulls,
   * integers beyond int, millisecond and out-of-range times.
   */
  @Test
  void edgeValuesAgreeWithTheirText() throws Exception {
    Schema micros = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    Schema schema =
        SchemaBuilder.record("Yellow").fields()
            .optionalLong("VendorID")
            .name("tpep_pickup_datetime").type().optional().type(micros)
            .name("tpep_dropoff_datetime").type().optional().type(millis)
            .optionalDouble("passenger_count")
            .optionalDouble("trip_distance")
            .optionalLong("PULocationID")
            .optionalLong("DOLocationID")
            .optionalLong("payment_type")
            .optionalDouble("fare_amount")
            .optionalDouble("tip_amount")
            .optionalLong("tolls_amount")
            .optionalDouble("total_amount")
            .endRecord();
    long pickup = 1_704_067_200_000_000L;
    long dropoff = pickup / 1_000 + 600_000;
    Object[] good = {1L, pickup, dropoff, 1.0, 2.5, 142L, 236L, 1L, 12.5, 2.0, 0L, 17.3};
    Object[][] edges = {
      {8, 1.005}, {9, 0.285}, {11, 1.29}, {8, -0.0}, {4, -0.0}, {3, -0.0}, {3, 1.5}, {3, 1e10}, {3, 1e9},
      {5, 5_000_000_000L}, {7, -3L}, {0, null}, {3, null}, {4, Double.NaN}, {8, Double.POSITIVE_INFINITY},
      {4, null}, {8, null}, {10, null}, {1, 400_000_000_000_000_000L}, {1, -62_000_000_000_000_000L},
      {2, 1L}, {1, pickup + 1}, {4, 1e-7}, {8, 12345678901.234}, {9, -5.5}, {10, 99_999_999_999_999L},
      {11, 1e15}, {1, null}, {4, 0.1 + 0.2}, {11, 17.299999999999997}
    };
    List<Object[]> rows = new ArrayList<>();
    rows.add(good);
    for (Object[] edge : edges) {
      Object[] row = good.clone();
      row[(Integer) edge[0]] = edge[1];
      rows.add(row);
    }
    Path file = tmp.resolve("edges.parquet");
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
            .withSchema(schema)
            .withDataModel(GenericData.get())
            .build()) {
      for (Object[] row : rows) {
        GenericData.Record r = new GenericData.Record(schema);
        for (int i = 0; i < row.length; i++) {
          r.put(i, row[i]);
        }
        w.write(r);
      }
    }
    assertAgree(file, rows.size(), 0.3);
  }

  /** Reads {@code file} both ways and compares every row; at least {@code typedShare} of the rows must be typed. */
  private static void assertAgree(Path file, long minRows, double typedShare) throws Exception {
    String path = file.toString();
    List<RawTrip> texts = new ArrayList<>();
    List<CheckedTrip> textChecked = new ArrayList<>();
    TripFileReader.readRows(
        path,
        InputFormat.AUTO,
        TripFileReader.localOpener(file),
        (row, rawText) -> {
          texts.add(row);
          textChecked.add(checker.check(row, rawText, VALID));
        });
    List<ValidateTrips.TypedRow> typedRows = new ArrayList<>();
    List<RawTrip> typedTexts = new ArrayList<>();
    List<CheckedTrip> typedChecked = new ArrayList<>();
    TripFileReader.readTyped(
        path,
        InputFormat.AUTO,
        TripFileReader.localOpener(file),
        (row, rawText) -> {
          typedRows.add(row);
          typedChecked.add(checker.check(row, rawText, VALID));
          typedTexts.add(row.text());
        });
    assertTrue(texts.size() >= minRows, path + ": " + texts.size() + " rows");
    assertEquals(texts.size(), typedRows.size(), "rows");
    long typed = 0;
    long rejected = 0;
    for (int i = 0; i < texts.size(); i++) {
      RawTrip text = texts.get(i);
      String where = path + " row " + text.getRowNumber();
      assertEquals(text, typedTexts.get(i), where + ": text");
      ValidateTrips.TypedRow row = typedRows.get(i);
      TripValues values = row.values();
      if (values != null) {
        typed++;
        RawTrip identity = row.identity();
        assertEquals(
            List.of(text.getSourceFile(), text.getRowNumber(), text.getSource()),
            List.of(identity.getSourceFile(), identity.getRowNumber(), identity.getSource()),
            where);
        assertEquals(text.getTripId(), identity.getTripId(), where + ": trip id");
        assertEquals(text.getUserId(), identity.getUserId(), where + ": user id");
        try {
          assertEquals(TripValues.parse(text), values, where + ": values");
        } catch (TripFields.BadFieldException e) {
          fail(where + ": typed, but its text does not parse: " + e.getMessage());
        }
      }
      assertEquals(textChecked.get(i), typedChecked.get(i), where + ": checked");
      if (!textChecked.get(i).isTrip()) {
        rejected++;
      }
    }
    assertTrue(typed >= typedShare * texts.size(), path + ": typed " + typed + " of " + texts.size());
    assertTrue(rejected > 0, path + ": the real file has rows the rules reject");
  }

  private static Path duckDb(String name, String select) throws Exception {
    Path out = tmp.resolve(name);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("copy (" + select + ") to '" + out + "' (format parquet)");
    }
    return out;
  }
}
