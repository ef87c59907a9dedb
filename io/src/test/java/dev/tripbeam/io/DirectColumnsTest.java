package dev.tripbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.UserDaily;
import dev.tripbeam.model.Zone;
import dev.tripbeam.transforms.TripRules;
import dev.tripbeam.transforms.ValidateTrips;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct columns write the files the Avro records write: the same Parquet schema and footer, and every value of
 * every row, for the processed trips of a real TLC month (nulls included) and user days.
 */
class DirectColumnsTest {
  @TempDir Path tmp;

  @Test
  void processedTripsOfARealMonthAreWrittenAsTheAvroPathWritesThem() throws IOException {
    List<EnrichedTrip> trips = realProcessedTrips();
    assertTrue(trips.size() > 60_000, "trips " + trips.size());
    assertTrue(trips.stream().anyMatch(e -> e.getTrip().getPassengerCount() == null), "a trip without passengers");
    AvroRecords.Layout<EnrichedTrip> direct = AvroRecords.processedTrips();
    AvroRecords.Layout<EnrichedTrip> records =
        new AvroRecords.Layout<>(
            AvroRecords.PROCESSED_TRIP,
            AvroRecords::processedTrip,
            direct.distinctColumns().toArray(String[]::new));
    assertSameFiles(trips, direct, records);
  }

  @Test
  void userDaysAreWrittenAsTheAvroPathWritesThem() throws IOException {
    List<UserDaily> days = new ArrayList<>();
    for (EnrichedTrip e : realProcessedTrips()) {
      Trip t = e.getTrip();
      days.add(
          UserDaily.builder()
              .setUserId(t.getTripId())
              .setPickupDate(t.getPickupDate())
              .setTrips(t.getPuZoneId())
              .setDistanceMiles(t.getDistanceMiles())
              .setTotalCents(t.getTotalCents())
              .setFirstPickupMicros(t.getPickupMicros())
              .setLastDropoffMicros(t.getDropoffMicros())
              .setJourneys(t.getDoZoneId())
              .setDistinctZones(t.getSourceRow())
              .build());
    }
    AvroRecords.Layout<UserDaily> direct = AvroRecords.userDaily();
    AvroRecords.Layout<UserDaily> records =
        new AvroRecords.Layout<>(
            AvroRecords.USER_DAILY, AvroRecords::userDaily, direct.distinctColumns().toArray(String[]::new));
    assertSameFiles(days, direct, records);
  }

  @Test
  void columnsThatDifferFromTheSchemaAreRefused() {
    DirectColumns<UserDaily> swapped =
        DirectColumns.of(
            DirectColumns.ints("pickup_date", u -> 0),
            DirectColumns.string("user_id", UserDaily::getUserId),
            DirectColumns.longs("trips", UserDaily::getTrips),
            DirectColumns.doubles("distance_miles", UserDaily::getDistanceMiles),
            DirectColumns.longs("total_cents", UserDaily::getTotalCents),
            DirectColumns.longs("first_pickup_ts", UserDaily::getFirstPickupMicros),
            DirectColumns.longs("last_dropoff_ts", UserDaily::getLastDropoffMicros),
            DirectColumns.longs("journeys", UserDaily::getJourneys),
            DirectColumns.longs("distinct_zones", UserDaily::getDistinctZones));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AvroRecords.Layout<>(AvroRecords.USER_DAILY, AvroRecords::userDaily, swapped));
    assertEquals("UserDaily field 0 is user_id STRING, the direct column pickup_date INT", e.getMessage());
    DirectColumns<UserDaily> optional =
        DirectColumns.of(DirectColumns.optionalString("user_id", UserDaily::getUserId));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AvroRecords.Layout<>(AvroRecords.USER_DAILY, AvroRecords::userDaily, optional));
  }

  private static List<EnrichedTrip> realProcessedTrips() throws IOException {
    List<Zone> zones = ZoneTable.load(null);
    Zone[] byId = Zone.byLocationId(zones);
    ValidateTrips.Checker checker = ValidateTrips.Checker.of(TripRules.defaults(), zones);
    List<EnrichedTrip> trips = new ArrayList<>();
    ReadTripFiles.checkFile(
        RealData.GREEN_PARQUET.toString(),
        InputFormat.parse("auto"),
        checker,
        (checked, raw) -> {
          if (checked.isTrip()) {
            Trip t = checked.trip();
            trips.add(EnrichedTrip.of(t, Zone.lookup(byId, t.getPuZoneId()), Zone.lookup(byId, t.getDoZoneId())));
          }
        });
    return trips;
  }

  private <T> void assertSameFiles(List<T> values, AvroRecords.Layout<T> direct, AvroRecords.Layout<T> records)
      throws IOException {
    Path a = write(values, direct, "direct.parquet");
    Path b = write(values, records, "records.parquet");
    FileMetaData directFooter = footer(a);
    FileMetaData recordsFooter = footer(b);
    assertEquals(recordsFooter.getSchema(), directFooter.getSchema());
    Map<String, String> directMeta = directFooter.getKeyValueMetaData();
    assertEquals(recordsFooter.getKeyValueMetaData(), directMeta);
    List<GenericRecord> directRows = rows(a);
    List<GenericRecord> recordRows = rows(b);
    assertEquals(values.size(), directRows.size());
    for (int i = 0; i < recordRows.size(); i++) {
      assertEquals(recordRows.get(i), directRows.get(i), "row " + i);
    }
  }

  private <T> Path write(List<T> values, AvroRecords.Layout<T> layout, String name) throws IOException {
    Path file = tmp.resolve(name);
    FileIO.Sink<T> sink = new WriteParquet.LayoutSink<>(layout);
    try (SeekableByteChannel channel =
        Files.newByteChannel(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      sink.open(channel);
      for (T v : values) {
        sink.write(v);
      }
      sink.flush();
    }
    return file;
  }

  private static FileMetaData footer(Path file) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file);
        ParquetFileReader reader =
            ParquetFileReader.open(
                new ChannelInputFile(channel, file.toString()), ParquetReadOptions.builder(HadoopConf.copy()).build())) {
      return reader.getFooter().getFileMetaData();
    }
  }

  private static List<GenericRecord> rows(Path file) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    ParquetRecords.read(file.toString(), rows::add);
    return rows;
  }
}
