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
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain-Java model of user_daily and anomalies: loops, maps and sorts over the same input, sharing only the
 * validation rules and the canonical duplicate order with the pipeline (they are definitions, not aggregation logic).
 */
final class ReferenceModel {
  final List<Trip> unique = new ArrayList<>();
  /** Copies equal in content to the kept one, and copies that differ from it (rejected as conflicting). */
  long duplicates;
  long conflicting;

  ReferenceModel(List<Path> files) throws Exception {
    Set<Integer> known = new HashSet<>();
    for (Zone z : ZoneTable.load(null)) {
      known.add(z.getLocationId());
    }
    TripRules rules = TripRules.defaults();
    Map<String, List<Trip>> byId = new TreeMap<>();
    for (Path file : files) {
      TripFileReader.read(file.toString(), InputFormat.AUTO, TripFileReader.localOpener(file), raw -> {
        TripRules.Outcome o = rules.check(raw, known::contains);
        if (o.isValid()) {
          byId.computeIfAbsent(o.getTrip().getTripId(), id -> new ArrayList<>()).add(o.getTrip());
        }
      });
    }
    for (List<Trip> copies : byId.values()) {
      copies.sort(DeduplicateTrips.CANONICAL_ORDER);
      Trip kept = copies.get(0);
      unique.add(kept);
      for (Trip copy : copies.subList(1, copies.size())) {
        boolean same =
            Objects.equals(kept.getUserId(), copy.getUserId()) && kept.getPickupMicros() == copy.getPickupMicros()
                && kept.getDropoffMicros() == copy.getDropoffMicros() && kept.getPuZoneId() == copy.getPuZoneId()
                && kept.getDoZoneId() == copy.getDoZoneId() && kept.getDistanceMiles() == copy.getDistanceMiles()
                && kept.getFareCents() == copy.getFareCents() && kept.getTipCents() == copy.getTipCents()
                && kept.getTollsCents() == copy.getTollsCents() && kept.getTotalCents() == copy.getTotalCents()
                && Objects.equals(kept.getPassengerCount(), copy.getPassengerCount())
                && Objects.equals(kept.getPaymentType(), copy.getPaymentType())
                && Objects.equals(kept.getVendorId(), copy.getVendorId()) && kept.getSource().equals(copy.getSource());
        if (same) {
          duplicates++;
        } else {
          conflicting++;
        }
      }
    }
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

  /**
   * trip|route|fare per mile|median|mad|route trips|score, sorted by trip id. A trip's baseline is its route's trips
   * of at least 0.5 mile picked up on the same New York date.
   */
  List<String> anomalies() {
    Map<String, List<Trip>> routeDays = new TreeMap<>();
    for (Trip t : unique) {
      if (t.getDistanceMiles() >= 0.5) {
        routeDays
            .computeIfAbsent(t.getPickupDate() + " " + t.getPuZoneId() + ">" + t.getDoZoneId(), k -> new ArrayList<>())
            .add(t);
      }
    }
    Map<String, String> flagged = new TreeMap<>();
    routeDays.forEach((routeDay, trips) -> {
      String route = routeDay.substring(routeDay.indexOf(' ') + 1);
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
