package dev.tripbeam.bench;

import dev.tripbeam.io.InputFormat;
import dev.tripbeam.io.ReadTripFiles;
import dev.tripbeam.io.ZoneTable;
import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.transforms.TripCoders;
import dev.tripbeam.transforms.TripRules;
import dev.tripbeam.transforms.ValidateTrips;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;

/**
 * Encodes and decodes the checked trips of one file with the job's coder, in rounds: the cost of one copy of a trip
 * across a serialized edge. Uses only what every build since issue 11 has, so two builds' jars compare side by side.
 * Usage: {@code FILE [ROUNDS]}; prints ns per trip per round.
 */
public final class CoderBenchmark {
  private CoderBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    ValidateTrips.Checker checker = ValidateTrips.Checker.of(TripRules.defaults(), ZoneTable.load(null));
    List<CheckedTrip> checked = new ArrayList<>();
    ReadTripFiles.checkFile(args[0], InputFormat.AUTO, checker, (c, raw) -> checked.add(c));
    Coder<CheckedTrip> coder = TripCoders.checkedTrip();
    for (int r = 1; r <= rounds; r++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
      long t0 = System.nanoTime();
      for (CheckedTrip c : checked) {
        coder.encode(c, out);
      }
      long t1 = System.nanoTime();
      ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
      for (int i = 0; i < checked.size(); i++) {
        coder.decode(in);
      }
      long t2 = System.nanoTime();
      System.out.printf(
          "round %d encode %.0f ns/trip decode %.0f ns/trip (%d bytes)%n",
          r, (t1 - t0) / (double) checked.size(), (t2 - t1) / (double) checked.size(), out.size());
    }
  }
}
