package dev.tripbeam.tools.generate;

import dev.tripbeam.io.InputFormat;
import dev.tripbeam.io.TripFileReader;
import dev.tripbeam.io.UnreadableFileException;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.Zone;
import dev.tripbeam.transforms.TripRules;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Real trips used as templates by the generator: every valid trip of the given TLC files (zone pair, distance,
 * duration, amounts, passengers, payment, minute of the day), so generated trips follow the real joint distribution.
 * Indexed by pickup zone, to chain a journey from the zone where the previous trip ended.
 */
final class TripTemplates {
  /** One real trip, reduced to what the generator draws. */
  record Template(
      int pu,
      int dO,
      double miles,
      long durationSeconds,
      long fareCents,
      long tipCents,
      long tollsCents,
      long otherCents,
      Integer passengers,
      Integer payment,
      int minuteOfDay) {}

  final List<Template> all = new ArrayList<>();
  final Map<Integer, List<Template>> byPickupZone = new HashMap<>();

  static TripTemplates load(List<Path> files, List<Zone> zones) throws IOException {
    Set<Integer> known = new HashSet<>();
    zones.forEach(z -> known.add(z.getLocationId()));
    TripRules rules = TripRules.defaults();
    TripTemplates templates = new TripTemplates();
    for (Path file : files) {
      try {
        TripFileReader.read(file.toString(), InputFormat.AUTO, TripFileReader.localOpener(file), raw -> {
          TripRules.Outcome outcome = rules.check(raw, known::contains);
          if (outcome.isValid() && outcome.getTrip().getDistanceMiles() > 0) {
            templates.add(outcome.getTrip());
          }
        });
      } catch (UnreadableFileException e) {
        throw new IOException("cannot read template file " + file + ": " + e.getMessage(), e);
      }
    }
    if (templates.all.isEmpty()) {
      throw new IOException("no valid trips in the template files " + files);
    }
    return templates;
  }

  private void add(Trip t) {
    long other = t.getTotalCents() - t.getFareCents() - t.getTipCents() - t.getTollsCents();
    Template template =
        new Template(
            t.getPuZoneId(), t.getDoZoneId(), t.getDistanceMiles(), t.getDurationMicros() / 1_000_000L,
            t.getFareCents(), t.getTipCents(), t.getTollsCents(), Math.max(0, other), t.getPassengerCount(),
            t.getPaymentType(), t.getPickupLocal().getHour() * 60 + t.getPickupLocal().getMinute());
    all.add(template);
    byPickupZone.computeIfAbsent(template.pu(), k -> new ArrayList<>()).add(template);
  }

}
