package dev.tripbeam.run;

import dev.tripbeam.io.ZoneTable;
import dev.tripbeam.model.Zone;
import dev.tripbeam.options.RunRequest;
import java.io.IOException;
import java.util.List;

/** The zone table of {@code --zones} (default: the bundled one), or a user error saying why it cannot be read. */
final class ZoneTables {
  private ZoneTables() {}

  static List<Zone> load(RunRequest request) {
    try {
      return ZoneTable.load(request.options().getZones());
    } catch (IOException e) {
      throw new UserError("cannot load the zone table: " + e.getMessage());
    }
  }
}
