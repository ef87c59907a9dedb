package dev.tripbeam.oracles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain-Java model of the app trips' validation, deduplication, user_daily and anomalies, in the manner of Nexmark's
 * models: loops, maps and sorts over the JSON lines as Jackson parses them, the zone ids read from the zone table's
 * CSV, the rules written again from docs/pipeline.md and docs/app-format.md. It shares no class with tripbeam,
 * so a rule, order or aggregation bug in tripbeam shows as a difference.
 */
public final class ReferenceModel {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final long HOUR_MICROS = 3_600_000_000L;

  /** One valid app trip, in the units of the outputs (micros, cents, miles). */
  public record Trip(
      String tripId, String userId, long pickup, long dropoff, int pu, int dropoffZone, Integer passengers,
      double miles, long fare, long tip, long tolls, long total, Integer payment, String file, long row) {
    String pickupDate() {
      return Instant.ofEpochSecond(Math.floorDiv(pickup, 1_000_000L)).atZone(NEW_YORK).toLocalDate().toString();
    }

    boolean sameContent(Trip o) {
      return Objects.equals(userId, o.userId) && pickup == o.pickup && dropoff == o.dropoff && pu == o.pu
          && dropoffZone == o.dropoffZone && Objects.equals(passengers, o.passengers) && miles == o.miles
          && fare == o.fare && tip == o.tip && tolls == o.tolls && total == o.total
          && Objects.equals(payment, o.payment);
    }
  }

  /** The kept copy: lowest fare, tip, tolls, passengers, payment, user (nulls first), times, zones, distance, total. */
  private static final Comparator<Trip> KEPT_FIRST =
      Comparator.comparingLong(Trip::fare)
          .thenComparingLong(Trip::tip)
          .thenComparingLong(Trip::tolls)
          .thenComparing(Trip::passengers, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Trip::payment, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Trip::userId, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparingLong(Trip::pickup)
          .thenComparingLong(Trip::dropoff)
          .thenComparingInt(Trip::pu)
          .thenComparingInt(Trip::dropoffZone)
          .thenComparingDouble(Trip::miles)
          .thenComparingLong(Trip::total)
          .thenComparing(Trip::file)
          .thenComparingLong(Trip::row);

  public final List<Trip> unique = new ArrayList<>();
  /** Rows read, rejected per reason, copies equal in content to the kept one, and copies that differ (rejected). */
  public long read;
  public final Map<String, Long> rejected = new TreeMap<>();
  public long duplicates;
  public long conflicting;

  /** The model over app-format JSON lines files, with the zone ids of {@code zoneTable} (the TLC lookup CSV). */
  public ReferenceModel(List<Path> jsonLines, Path zoneTable) throws Exception {
    Set<Integer> zones = new HashSet<>();
    for (String line : Files.readAllLines(zoneTable).subList(1, Files.readAllLines(zoneTable).size())) {
      zones.add(Integer.parseInt(line.substring(0, line.indexOf(',')).replace("\"", "")));
    }
    Map<String, List<Trip>> byId = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    for (Path file : jsonLines) {
      long row = 0;
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) {
          continue;
        }
        read++;
        row++;
        String reason;
        Trip trip = null;
        try {
          JsonNode node = json.readTree(line);
          trip = node != null && node.isObject() ? parse(node, file.toString(), row) : null;
          reason = trip == null ? "unparseable" : reject(trip, node, zones);
        } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException | DateTimeParseException e) {
          reason = "unparseable";
        }
        if (reason != null) {
          rejected.merge(reason, 1L, Long::sum);
        } else {
          byId.computeIfAbsent(trip.tripId(), id -> new ArrayList<>()).add(trip);
        }
      }
    }
    for (List<Trip> copies : byId.values()) {
      copies.sort(KEPT_FIRST);
      Trip kept = copies.get(0);
      unique.add(kept);
      for (Trip copy : copies.subList(1, copies.size())) {
        if (kept.sameContent(copy)) {
          duplicates++;
        } else {
          conflicting++;
          rejected.merge("conflicting_duplicate", 1L, Long::sum);
        }
      }
    }
  }

  /** The trip of a JSON object, with nulls where a field is absent; throws when a present field does not parse. */
  private static Trip parse(JsonNode o, String file, long row) {
    return new Trip(
        text(o, "trip_id"), text(o, "user_id"), instant(o, "pickup_ts"), instant(o, "dropoff_ts"),
        whole(o, "pu_zone_id", -1), whole(o, "do_zone_id", -1), optionalWhole(o, "passenger_count"),
        number(o, "distance_miles"), whole(o, "fare_cents", Long.MIN_VALUE), whole(o, "tip_cents", Long.MIN_VALUE),
        whole(o, "tolls_cents", Long.MIN_VALUE), whole(o, "total_cents", Long.MIN_VALUE),
        optionalWhole(o, "payment_type"), file, row);
  }

  /** The first rule a parsed trip breaks, in the documented order; null when it is valid. */
  private static String reject(Trip t, JsonNode o, Set<Integer> zones) {
    if (t.fare() == Long.MIN_VALUE || t.tip() == Long.MIN_VALUE || t.tolls() == Long.MIN_VALUE
        || t.total() == Long.MIN_VALUE || Double.isNaN(t.miles())) {
      return "unparseable";
    }
    if (t.userId() == null) {
      return "missing_user_id";
    }
    if (t.pickup() == Long.MIN_VALUE || t.dropoff() == Long.MIN_VALUE) {
      return "missing_pickup_or_dropoff_time";
    }
    if (t.pu() == -1 || t.dropoffZone() == -1) {
      return "missing_zone";
    }
    if (!zones.contains(t.pu()) || !zones.contains(t.dropoffZone())) {
      return "unknown_zone";
    }
    long micros = t.dropoff() - t.pickup();
    if (micros <= 0) {
      return "dropoff_not_after_pickup";
    }
    if (micros > 24 * HOUR_MICROS) {
      return "duration_over_24h";
    }
    if (t.miles() < 0) {
      return "negative_distance";
    }
    if (t.miles() > 500) {
      return "implausible_distance";
    }
    if (t.fare() < 0 || t.total() < 0) {
      return "negative_amount";
    }
    if (t.miles() > 0 && t.miles() * HOUR_MICROS > 100.0 * micros) {
      return "implausible_speed";
    }
    return null;
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }

  /** Epoch micros; {@code Long.MIN_VALUE} when absent. An instant with an offset, or a UTC wall clock without one. */
  private static long instant(JsonNode o, String field) {
    String v = text(o, field);
    if (v == null) {
      return Long.MIN_VALUE;
    }
    Instant i;
    try {
      i = OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException noOffset) {
      i = LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
    }
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  /** A whole number; {@code absent} when missing or null; throws when it is not whole. */
  private static long whole(JsonNode o, String field, long absent) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return absent;
    }
    double d = v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText().trim());
    if (d != Math.floor(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(field + " is not whole: " + v);
    }
    return (long) d;
  }

  private static int whole(JsonNode o, String field, int absent) {
    return (int) whole(o, field, (long) absent);
  }

  private static Integer optionalWhole(JsonNode o, String field) {
    long v = whole(o, field, Long.MIN_VALUE);
    return v == Long.MIN_VALUE ? null : (int) v;
  }

  /** A number; NaN when missing; throws when it is not a number. */
  private static double number(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return Double.NaN;
    }
    return v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText().trim());
  }

  /** user|date|trips|distance|total|first pickup micros|last dropoff micros|journeys|distinct zones, sorted. */
  public List<String> userDaily() {
    Map<String, List<Trip>> days = new TreeMap<>();
    for (Trip t : unique) {
      days.computeIfAbsent(t.userId() + "|" + t.pickupDate(), k -> new ArrayList<>()).add(t);
    }
    List<String> rows = new ArrayList<>();
    days.forEach((key, trips) -> {
      trips.sort(Comparator.comparingLong(Trip::pickup).thenComparingLong(Trip::dropoff));
      long journeys = 1;
      long microMiles = 0;
      long total = 0;
      long last = Long.MIN_VALUE;
      Set<Integer> zones = new HashSet<>();
      for (int i = 0; i < trips.size(); i++) {
        Trip t = trips.get(i);
        if (i > 0 && t.pickup() - trips.get(i - 1).dropoff() > HOUR_MICROS / 2) {
          journeys++;
        }
        microMiles += Math.round(t.miles() * 1e6);
        total += t.total();
        last = Math.max(last, t.dropoff());
        zones.add(t.pu());
        zones.add(t.dropoffZone());
      }
      rows.add(String.join("|", key, "" + trips.size(), "" + microMiles / 1e6, "" + total,
          "" + trips.get(0).pickup(), "" + last, "" + journeys, "" + zones.size()));
    });
    return rows;
  }

  /**
   * trip|route|fare per mile|median|mad|route trips|score, sorted by trip id. A trip's baseline is its route's trips
   * of at least 0.5 mile picked up on the same New York date.
   */
  public List<String> anomalies() {
    Map<String, List<Trip>> routeDays = new TreeMap<>();
    for (Trip t : unique) {
      if (t.miles() >= 0.5) {
        routeDays
            .computeIfAbsent(t.pickupDate() + " " + t.pu() + ">" + t.dropoffZone(), k -> new ArrayList<>())
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
      trips.forEach(t -> x.add(t.fare() / 100.0 / t.miles()));
      double median = median(new ArrayList<>(x));
      List<Double> dev = new ArrayList<>();
      x.forEach(v -> dev.add(Math.abs(v - median)));
      double mad = median(dev);
      for (int i = 0; i < trips.size() && mad > 0; i++) {
        double score = Math.abs(x.get(i) - median) / (1.4826 * mad);
        if (score > 6) {
          flagged.put(trips.get(i).tripId(), String.join("|", trips.get(i).tripId(), route, "" + x.get(i),
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
