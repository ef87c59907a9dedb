package dev.tripbeam.io;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.Zone;
import dev.tripbeam.transforms.TripRules;
import dev.tripbeam.transforms.ValidateTrips;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;

/**
 * The per-trip cost of the batch job's read and write paths on one Parquet file, arms interleaved in one JVM (the
 * machine is too noisy for whole-run A/Bs of a few percent): read and check as text or typed, write the processed zone
 * through Avro records or the direct columns. Usage: {@code FILE [ROUNDS]};
 * prints one line per arm and round, ns per row. docs/benchmarks.md names the runs.
 */
public final class ReadWriteBenchmark {
  private ReadWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Zone> zones = ZoneTable.load(null);
    Zone[] byId = Zone.byLocationId(zones);
    ValidateTrips.Checker checker = ValidateTrips.Checker.of(TripRules.defaults(), zones);
    Counter valid = ValidateTrips.Checker.validCounter();
    List<CheckedTrip> checked = new ArrayList<>();
    List<EnrichedTrip> trips = new ArrayList<>();
    ReadTripFiles.checkFile(
        file.toString(),
        InputFormat.AUTO,
        checker,
        (c, raw) -> {
          checked.add(c);
          if (c.isTrip()) {
            Trip t = c.trip();
            trips.add(EnrichedTrip.of(t, Zone.lookup(byId, t.getPuZoneId()), Zone.lookup(byId, t.getDoZoneId())));
          }
        });
    AvroRecords.Layout<EnrichedTrip> direct = AvroRecords.processedTrips();
    AvroRecords.Layout<EnrichedTrip> records =
        new AvroRecords.Layout<>(
            AvroRecords.PROCESSED_TRIP, AvroRecords::processedTrip, direct.distinctColumns().toArray(String[]::new));
    Path out = Files.createTempFile("read-write-benchmark", ".parquet");
    try {
      for (int r = 1; r <= rounds; r++) {
        for (boolean typed : new boolean[] {false, true}) {
          long t0 = System.nanoTime();
          TripFileReader.TypedRowSink sink = (row, raw) -> checker.check(row, raw, valid);
          if (typed) {
            TripFileReader.readTyped(file.toString(), InputFormat.AUTO, TripFileReader.localOpener(file), sink);
          } else {
            TripFileReader.readRows(
                file.toString(),
                InputFormat.AUTO,
                TripFileReader.localOpener(file),
                (row, raw) -> checker.check(row, raw, valid));
          }
          report(r, typed ? "read-typed" : "read-text", t0, checked.size());
        }
        for (AvroRecords.Layout<EnrichedTrip> layout : List.of(records, direct)) {
          long t0 = System.nanoTime();
          write(trips, layout, out);
          report(r, layout == direct ? "write-direct" : "write-avro", t0, trips.size());
        }
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static void write(List<EnrichedTrip> trips, AvroRecords.Layout<EnrichedTrip> layout, Path out)
      throws Exception {
    FileIO.Sink<EnrichedTrip> sink = new WriteParquet.LayoutSink<>(layout);
    try (SeekableByteChannel channel =
        Files.newByteChannel(
            out, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      sink.open(channel);
      for (EnrichedTrip e : trips) {
        sink.write(e);
      }
      sink.flush();
    }
  }

  private static void report(int round, String arm, long startNanos, int rows) {
    System.out.printf("round %d %-12s %6.0f ns/row%n", round, arm, (System.nanoTime() - startNanos) / (double) rows);
  }
}
