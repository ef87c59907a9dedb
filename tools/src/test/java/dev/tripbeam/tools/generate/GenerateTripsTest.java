package dev.tripbeam.tools.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.io.InputFormat;
import dev.tripbeam.io.TripFileReader;
import dev.tripbeam.io.ZoneTable;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectReason;
import dev.tripbeam.model.Zone;
import dev.tripbeam.transforms.TripRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator on a small size: same bytes for the same seed, every rule class present, duplicates by trip id. */
class GenerateTripsTest {
  private static final String TEMPLATES = "../tests/data/nyc_tlc/yellow_tripdata_2021-01.head.csv";
  @TempDir Path tmp;

  private static GeneratorSettings settings(Path out, String format, long seed, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--users=300", "--trips=3000", "--days=3", "--files=2", "--seed=" + seed, "--format=" + format,
                "--output=" + out, "--templates=" + TEMPLATES));
    args.addAll(List.of(more));
    return GeneratorSettings.parse(args.toArray(String[]::new));
  }

  private static Set<String> tripIds(Path dir) throws Exception {
    Set<String> ids = new HashSet<>();
    for (int f = 0; f < 2; f++) {
      read(dir.resolve(GenerateTrips.fileName(f, "parquet"))).forEach(r -> ids.add(r.getTripId()));
    }
    return ids;
  }

  @Test
  void dataSetsShareNoTripIdUnlessAskedTo() throws Exception {
    GenerateTrips.generate(settings(tmp.resolve("a"), "parquet", 42));
    GenerateTrips.generate(settings(tmp.resolve("b"), "parquet", 7, "--start=2024-03-01"));
    GenerateTrips.generate(settings(tmp.resolve("c"), "parquet", 42, "--start=2024-03-11"));
    GenerateTrips.generate(settings(tmp.resolve("d"), "parquet", 7, "--start=2024-03-01", "--idsOf=42:2024-03-04"));
    Set<String> a = tripIds(tmp.resolve("a"));
    assertTrue(a.iterator().next().startsWith("42-20240304-"), a.iterator().next());
    for (String other : List.of("b", "c")) {
      Set<String> shared = new HashSet<>(tripIds(tmp.resolve(other)));
      shared.retainAll(a);
      assertEquals(Set.of(), shared, "another seed or another start date: other ids (" + other + ")");
    }
    Set<String> overlap = new HashSet<>(tripIds(tmp.resolve("d")));
    overlap.retainAll(a);
    assertTrue(overlap.size() > 1000, "--idsOf gives the other data set's ids: " + overlap.size());
  }

  static List<RawTrip> read(Path file) throws Exception {
    List<RawTrip> rows = new ArrayList<>();
    TripFileReader.read(file.toString(), InputFormat.APP, TripFileReader.localOpener(file), rows::add);
    return rows;
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
    GenerateTrips.generate(settings(tmp.resolve("a"), "parquet", 7));
    GenerateTrips.generate(settings(tmp.resolve("b"), "parquet", 7));
    GenerateTrips.generate(settings(tmp.resolve("c"), "parquet", 8));
    for (String f : List.of("trips-00000.parquet", "trips-00001.parquet")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b").resolve(f)));
      assertTrue(!java.util.Arrays.equals(
          Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("c").resolve(f))));
    }
  }

  @Test
  void parquetAndJsonLinesCarryTheSameTripsWithEveryRuleClass() throws Exception {
    long[] written = GenerateTrips.generate(settings(tmp.resolve("p"), "parquet", 11));
    GenerateTrips.generate(settings(tmp.resolve("j"), "jsonl", 11));
    List<RawTrip> parquet = new ArrayList<>();
    List<RawTrip> json = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      parquet.addAll(read(tmp.resolve("p").resolve(GenerateTrips.fileName(f, "parquet"))));
      json.addAll(read(tmp.resolve("j").resolve(GenerateTrips.fileName(f, "jsonl"))));
    }
    assertEquals(written[0], parquet.size());
    assertEquals(parquet.size(), json.size());
    Set<Integer> known = new HashSet<>();
    for (Zone z : ZoneTable.load(null)) {
      known.add(z.getLocationId());
    }
    Map<RejectReason, Integer> reasons = new EnumMap<>(RejectReason.class);
    Set<String> ids = new HashSet<>();
    long repeatedIds = 0;
    TripRules rules = TripRules.defaults();
    for (int i = 0; i < parquet.size(); i++) {
      TripRules.Outcome p = rules.check(parquet.get(i), known::contains);
      TripRules.Outcome j = rules.check(json.get(i), known::contains);
      assertEquals(p.isValid(), j.isValid(), "row " + i);
      if (p.isValid()) {
        assertEquals(
            p.getTrip().differingFields(j.getTrip()),
            List.of(),
            "row " + i + " reads the same from Parquet and JSON lines");
        repeatedIds += ids.add(p.getTrip().getTripId()) ? 0 : 1;
        assertEquals("app", p.getTrip().getSource());
      } else {
        reasons.merge(p.getReason(), 1, Integer::sum);
      }
    }
    assertEquals(
        RejectReason.values().length - 6,
        reasons.size(),
        "every rule class but the two file reasons, missing_user_id (every generated trip has a user), "
            + "invalid_local_time (app times are instants), conflicting_duplicate and late_trip (not rules): "
            + reasons);
    assertEquals(written[2], repeatedIds, "duplicate copies share their trip id");
    assertTrue(written[1] > 30 && written[1] < 100, "about 2% invalid: " + written[1]);
  }
}
