package dev.tripbeam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tripbeam.model.Zone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoneTableTest {
  @TempDir Path tmp;

  @Test
  void bundledTableHasAllTlcZonesIncludingUnknowns() throws Exception {
    List<Zone> zones = ZoneTable.load(null);
    assertEquals(265, zones.size());
    assertEquals(Zone.of(1, "EWR", "Newark Airport", "EWR"), zones.get(0));
    assertEquals(Zone.of(264, "Unknown", "NV", "N/A"), zones.get(263));
    assertEquals(Zone.of(265, "Unknown", "NA", "N/A"), zones.get(264));
  }

  @Test
  void fileOnDiskLoadsTheSame() throws Exception {
    assertEquals(ZoneTable.load(null), ZoneTable.load(RealData.DIR.resolve("taxi_zone_lookup.csv").toString()));
  }

  @Test
  void wrongHeaderIsAClearError() throws Exception {
    Path bad = Files.writeString(tmp.resolve("zones.csv"), "id,name\n1,Newark\n");
    IOException e = assertThrows(IOException.class, () -> ZoneTable.load(bad.toString()));
    assertEquals(true, e.getMessage().contains("LocationID,Borough,Zone,service_zone"));
  }
}
