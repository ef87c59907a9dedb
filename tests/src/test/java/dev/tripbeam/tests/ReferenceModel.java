package dev.tripbeam.tests;

import dev.tripbeam.io.InputFormat;
import dev.tripbeam.io.TripFileReader;
import dev.tripbeam.io.ZoneTable;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.Zone;
import dev.tripbeam.transforms.DeduplicateTrips;
import dev.tripbeam.transforms.TripRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain-Java model of user_daily and anomalies: loops, maps and sorts over the same input, sharing only the
 * validation rules and the canonical duplicate order with the pipeline (they are definitions, not aggregation logic).
 */
final class ReferenceModel {
  final List<Trip> unique = new ArrayList<>();

  ReferenceModel(List<Path> files) throws Exception {
    Set<Integer> known = new HashSet<>();
    for (Zone z : ZoneTable.load(null)) {
      known.add(z.getLocationId());
    }
    TripRules rules = TripRules.defaults();
    Map<String, Trip> byId = new TreeMap<>();
    for (Path file : files) {
      TripFileReader.read(file.toString(), InputFormat.AUTO, TripFileReader.localOpener(file), raw -> {
        TripRules.Outcome o = rules.check(raw, known::contains);
        if (o.isValid()) {
          byId.merge(o.getTrip().getTripId(), o.getTrip(),
              (x, y) -> DeduplicateTrips.CANONICAL_ORDER.compare(x, y) <= 0 ? x : y);
        }
      });
    }
    unique.addAll(byId.values());
  }

  /** user|date|trips|distance|total|first pickup micros|last dropoff micros|journeys|distinct zones, sorted. */
  List<String> userDaily() {
    Map<String, List<Trip>> days = new TreeMap<>();
    for (Trip t : unique) {
      if (t.getUserId() != null) {
        days.computeIfAbsent(t.getUserId() + "|" + t.getPickupDate(), k -> new ArrayList<>()).add(t);
      }
    }
    List<String> rows = new ArrayList<>();
    days.forEach((key, trips) -> {
      trips.sort(Comparator.comparingLong(Trip::getPickupMicros).thenComparingLong(Trip::getDropoffMicros));
      long journeys = 1;
      long microMiles = 0;
      long total = 0;
      long last = Long.MIN_VALUE;
      Set<Integer> zones = new HashSet<>();
      for (int i = 0; i < trips.size(); i++) {
        Trip t = trips.get(i);
        if (i > 0 && t.getPickupMicros() - trips.get(i - 1).getDropoffMicros() > 30 * 60 * 1_000_000L) {
          journeys++;
        }
        microMiles += Math.round(t.getDistanceMiles() * 1e6);
        total += t.getTotalCents();
        last = Math.max(last, t.getDropoffMicros());
        zones.add(t.getPuZoneId());
        zones.add(t.getDoZoneId());
      }
      rows.add(String.join("|", key, "" + trips.size(), "" + microMiles / 1e6, "" + total,
          "" + trips.get(0).getPickupMicros(), "" + last, "" + journeys, "" + zones.size()));
    });
    return rows;
  }

  /** trip|route|fare per mile|median|mad|route trips|score, sorted by trip id. */
  List<String> anomalies() {
    Map<String, List<Trip>> routes = new TreeMap<>();
    for (Trip t : unique) {
      if (t.getDistanceMiles() >= 0.5) {
        routes.computeIfAbsent(t.getPuZoneId() + ">" + t.getDoZoneId(), k -> new ArrayList<>()).add(t);
      }
    }
    Map<String, String> flagged = new TreeMap<>();
    routes.forEach((route, trips) -> {
      if (trips.size() < 30) {
        return;
      }
      List<Double> x = new ArrayList<>();
      trips.forEach(t -> x.add(t.getFareCents() / 100.0 / t.getDistanceMiles()));
      double median = median(new ArrayList<>(x));
      List<Double> dev = new ArrayList<>();
      x.forEach(v -> dev.add(Math.abs(v - median)));
      double mad = median(dev);
      for (int i = 0; i < trips.size() && mad > 0; i++) {
        double score = Math.abs(x.get(i) - median) / (1.4826 * mad);
        if (score > 6) {
          flagged.put(trips.get(i).getTripId(), String.join("|", trips.get(i).getTripId(), route, "" + x.get(i),
              "" + median, "" + mad, "" + trips.size(), "" + score));
        }
      }
    });
    return new ArrayList<>(flagged.values());
  }

  private static double median(List<Double> values) {
    values.sort(null);
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2.0;
  }

}
