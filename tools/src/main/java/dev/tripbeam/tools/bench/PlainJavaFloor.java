package dev.tripbeam.tools.bench;

import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.io.InputFormat;
import dev.tripbeam.io.TripFileReader;
import dev.tripbeam.io.UnreadableFileException;
import dev.tripbeam.io.ZoneTable;
import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.Zone;
import dev.tripbeam.transforms.DeduplicateTrips;
import dev.tripbeam.transforms.TripRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * The benchmark floor: tripbeam's work in one thread of plain Java, no engine. It reads with the same reader,
 * validates with the same rules, deduplicates, enriches, computes zone_daily, user_daily and anomalies, and writes
 * the same Parquet layouts to a local directory. Usage: {@code --input=DIR_OR_FILE[,...] --output=DIR}.
 */
public final class PlainJavaFloor {
  private PlainJavaFloor() {}

  public static void main(String[] args) throws Exception {
    String input = null;
    String output = null;
    for (String a : args) {
      if (a.startsWith("--input=")) {
        input = a.substring(8);
      } else if (a.startsWith("--output=")) {
        output = a.substring(9);
      }
    }
    if (input == null || output == null) {
      System.err.println("usage: PlainJavaFloor --input=DIR_OR_FILE[,...] --output=DIR");
      System.exit(2);
    }
    long start = System.nanoTime();
    long[] counts = run(input, Path.of(output));
    System.out.printf("floor: read %d valid %d duplicates %d rejected %d in %.1f s%n",
        counts[0], counts[1], counts[2], counts[3], (System.nanoTime() - start) / 1e9);
  }

  static long[] run(String input, Path out) throws Exception {
    Floor floor = new Floor(out);
    floor.read(input);
    floor.writeProcessedAndCount();
    floor.writeZoneDaily();
    floor.writeUserDaily();
    floor.writeAnomalies();
    floor.writeRejected();
    return new long[] {
      floor.read[0], floor.unique.size(), floor.validated[0] - floor.unique.size(), floor.rejected.size()
    };
  }

  /** One run's state: the zones, the unique trips by id, the rejected records, the per-key groups. */
  private static final class Floor {
    final Path out;
    final Map<Integer, Zone> zones = new HashMap<>();
    final TripRules rules = TripRules.defaults();
    final Map<String, Trip> unique = new HashMap<>();
    final List<RejectedRecord> rejected = new ArrayList<>();
    final long[] read = {0};
    final long[] validated = {0};
    final Map<String, long[]> zoneDays = new HashMap<>();
    final Map<String, List<Trip>> userDays = new HashMap<>();
    final Map<String, List<Trip>> routes = new HashMap<>();

    Floor(Path out) throws Exception {
      this.out = out;
      for (Zone z : ZoneTable.load(null)) {
        zones.put(z.getLocationId(), z);
      }
    }

    void read(String input) throws Exception {
      for (Path file : files(input)) {
        try {
          TripFileReader.read(file.toString(), InputFormat.AUTO, TripFileReader.localOpener(file), raw -> {
            read[0]++;
            TripRules.Outcome o = rules.check(raw, zones::containsKey);
            if (o.isValid()) {
              validated[0]++;
              unique.merge(o.getTrip().getTripId(), o.getTrip(),
                  (a, b) -> DeduplicateTrips.CANONICAL_ORDER.compare(a, b) <= 0 ? a : b);
            } else {
              rejected.add(RejectedRecord.of(o.getReason(), "ValidateTrips", raw.getSourceFile(), raw.getRowNumber(),
                  raw.getRaw(), o.getDetail()));
            }
          });
        } catch (UnreadableFileException e) {
          read[0]++;
          rejected.add(RejectedRecord.of(RejectReason.UNREADABLE_FILE, "ReadTripFiles", file.toString(), 0,
              file + ": " + e.getMessage(), e.getMessage()));
        }
      }
    }

    void writeProcessedAndCount() throws IOException {
      Map<String, ParquetWriter<GenericRecord>> partitions = new HashMap<>();
      AvroRecords.Layout<EnrichedTrip> processed = AvroRecords.processedTrips();
      for (Trip t : unique.values()) {
        EnrichedTrip e = EnrichedTrip.of(t, zones.get(t.getPuZoneId()), zones.get(t.getDoZoneId()));
        String date = t.getPickupDate();
        ParquetWriter<GenericRecord> w = partitions.get(date);
        if (w == null) {
          w = writer(out.resolve("processed/trips/pickup_date=" + date + "/part-00000-of-00001.parquet"),
              processed.schema());
          partitions.put(date, w);
        }
        w.write(processed.toRecord(e));
        long[] s = zoneDays.computeIfAbsent(date + "|" + t.getPuZoneId(), k -> new long[7]);
        s[0]++;
        s[1] += t.getPassengerCount() == null ? 0 : t.getPassengerCount();
        s[2] += Math.round(t.getDistanceMiles() * 1e6);
        s[3] += t.getFareCents();
        s[4] += t.getTipCents();
        s[5] += t.getTotalCents();
        s[6] += t.getDurationMicros();
        if (t.getUserId() != null) {
          userDays.computeIfAbsent(t.getUserId() + "|" + date, k -> new ArrayList<>(2)).add(t);
        }
        if (t.getDistanceMiles() >= 0.5) {
          routes.computeIfAbsent(t.getPuZoneId() + ">" + t.getDoZoneId(), k -> new ArrayList<>()).add(t);
        }
      }
      for (ParquetWriter<GenericRecord> w : partitions.values()) {
        w.close();
      }
    }

    void writeZoneDaily() throws IOException {
      try (ParquetWriter<GenericRecord> w = writer(out.resolve("aggregated/zone_daily/part-00000-of-00001.parquet"),
          AvroRecords.ZONE_DAILY)) {
        for (Map.Entry<String, long[]> e : zoneDays.entrySet()) {
          String[] k = e.getKey().split("\\|");
          Zone z = zones.get(Integer.parseInt(k[1]));
          long[] s = e.getValue();
          GenericData.Record r = new GenericData.Record(AvroRecords.ZONE_DAILY);
          r.put("pickup_date", AvroRecords.epochDay(k[0]));
          r.put("pu_zone_id", z.getLocationId());
          r.put("borough", z.getBorough());
          r.put("zone", z.getZone());
          r.put("trips", s[0]);
          r.put("passengers", s[1]);
          r.put("distance_miles", s[2] / 1e6);
          r.put("fare_cents", s[3]);
          r.put("tip_cents", s[4]);
          r.put("total_cents", s[5]);
          r.put("avg_duration_s", s[6] / 1e6 / s[0]);
          w.write(r);
        }
      }
    }

    void writeUserDaily() throws IOException {
      try (ParquetWriter<GenericRecord> w = writer(out.resolve("aggregated/user_daily/part-00000-of-00001.parquet"),
          AvroRecords.USER_DAILY)) {
        for (Map.Entry<String, List<Trip>> e : userDays.entrySet()) {
          w.write(userDay(e.getKey(), e.getValue()));
        }
      }
    }

    GenericData.Record userDay(String key, List<Trip> trips) {
    trips.sort(Comparator.comparingLong(Trip::getPickupMicros).thenComparingLong(Trip::getDropoffMicros));
    long journeys = 1;
    long miles = 0;
    long total = 0;
    long last = Long.MIN_VALUE;
    Set<Integer> z = new HashSet<>();
    for (int i = 0; i < trips.size(); i++) {
      Trip t = trips.get(i);
      if (i > 0 && t.getPickupMicros() - trips.get(i - 1).getDropoffMicros() > 1_800_000_000L) {
        journeys++;
      }
      miles += Math.round(t.getDistanceMiles() * 1e6);
      total += t.getTotalCents();
      last = Math.max(last, t.getDropoffMicros());
      z.add(t.getPuZoneId());
      z.add(t.getDoZoneId());
    }
    int bar = key.lastIndexOf('|');
    GenericData.Record r = new GenericData.Record(AvroRecords.USER_DAILY);
    r.put("user_id", key.substring(0, bar));
    r.put("pickup_date", AvroRecords.epochDay(key.substring(bar + 1)));
    r.put("trips", (long) trips.size());
    r.put("distance_miles", miles / 1e6);
    r.put("total_cents", total);
    r.put("first_pickup_ts", trips.get(0).getPickupMicros());
    r.put("last_dropoff_ts", last);
    r.put("journeys", journeys);
    r.put("distinct_zones", (long) z.size());
    return r;
    }

    void writeAnomalies() throws IOException {
      try (ParquetWriter<GenericRecord> w = writer(out.resolve("aggregated/anomalies/part-00000-of-00001.parquet"),
          AvroRecords.FARE_ANOMALY)) {
        for (List<Trip> trips : routes.values()) {
          if (trips.size() < 30) {
            continue;
          }
          scoreRoute(trips, w);
        }
      }
    }

    void scoreRoute(List<Trip> trips, ParquetWriter<GenericRecord> w) throws IOException {
    double[] x = new double[trips.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = trips.get(i).getFareCents() / 100.0 / trips.get(i).getDistanceMiles();
    }
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    double median = median(sorted);
    double[] dev = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      dev[i] = Math.abs(x[i] - median);
    }
    Arrays.sort(dev);
    double mad = median(dev);
    for (int i = 0; i < x.length && mad > 0; i++) {
      double score = Math.abs(x[i] - median) / (1.4826 * mad);
      if (score > 6) {
        Trip t = trips.get(i);
        GenericData.Record r = new GenericData.Record(AvroRecords.FARE_ANOMALY);
        r.put("trip_id", t.getTripId());
        r.put("pickup_date", t.getPickupEpochDay());
        r.put("pu_zone_id", t.getPuZoneId());
        r.put("do_zone_id", t.getDoZoneId());
        r.put("distance_miles", t.getDistanceMiles());
        r.put("fare_cents", t.getFareCents());
        r.put("fare_per_mile", x[i]);
        r.put("route_median", median);
        r.put("route_mad", mad);
        r.put("route_trips", (long) x.length);
        r.put("score", score);
        w.write(r);
      }
    }
    }

    void writeRejected() throws IOException {
      AvroRecords.Layout<RejectedRecord> rejectedLayout = AvroRecords.rejected();
      try (ParquetWriter<GenericRecord> w = writer(out.resolve("rejected/part-00000-of-00001.parquet"),
          rejectedLayout.schema())) {
        for (RejectedRecord r : rejected) {
          w.write(rejectedLayout.toRecord(r));
        }
      }
    }
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  private static ParquetWriter<GenericRecord> writer(Path file, Schema schema) throws IOException {
    Files.createDirectories(file.getParent());
    return AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
        .withSchema(schema)
        .withDataModel(GenericData.get())
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }

  private static List<Path> files(String input) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String part : input.split(",")) {
      Path p = Path.of(part.trim());
      if (Files.isDirectory(p)) {
        try (var list = Files.list(p)) {
          list.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      } else {
        files.add(p);
      }
    }
    return files;
  }

}
