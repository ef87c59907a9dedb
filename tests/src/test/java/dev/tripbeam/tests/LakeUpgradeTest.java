package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tripbeam.fixtures.DirectRun;
import dev.tripbeam.fixtures.Generated;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.TableFiles;
import dev.tripbeam.lake.IcebergLake;
import dev.tripbeam.lake.LakeLayout;
import dev.tripbeam.lake.LakeZone;
import dev.tripbeam.lake.RawFile;
import dev.tripbeam.lake.TableCommit;
import dev.tripbeam.run.Outcome;
import dev.tripbeam.run.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake of the folder format (zone folders and {@code _manifests/runs/}, no tables) is refused by a run with one
 * line that names the upgrade; {@code --upgradeLake} registers its files in place, after which an incremental run
 * with a new file gives the lake one full run over both files gives, and a second upgrade finds nothing to do. Then
 * {@code --compactLake} merges the rejected table's files (the upgrade's and the run's) into one: every zone still
 * reads as the full run's (DuckDB over the current snapshot's files), the snapshot before lists the old files, and a
 * second compaction finds nothing to do.
 */
class LakeUpgradeTest {
  @TempDir Path tmp;

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aFolderLakeIsRegisteredInPlaceRunsOnFromThereAndCompacts() throws Exception {
    Path a = Generated.appTrips(tmp.resolve("a"), "parquet", "--users=80", "--trips=1200", "--days=3",
        "--start=2024-03-04", "--seed=21");
    Path b = Generated.appTrips(tmp.resolve("b"), "parquet", "--users=80", "--trips=800", "--days=2",
        "--start=2024-03-05", "--seed=22");
    Path lake = tmp.resolve("lake");
    DirectRun.run(a.toString(), lake, "--inputFormat=app", "--runId=old");
    String zonesBefore = Outputs.zones(lake).toString();
    toFolderFormat(lake, a);

    UserError refused =
        assertThrows(UserError.class,
            () -> DirectRun.run(b.toString(), lake, "--inputFormat=app", "--incremental=true", "--runId=r2"));
    assertTrue(refused.getMessage().contains("is of the folder format (before Iceberg tables): register it once "
        + "with --upgradeLake=true --output=" + lake), refused.getMessage());

    Outcome upgraded = DirectRun.run("", lake, "--upgradeLake=true", "--runId=up1");
    assertTrue(upgraded.summary.contains("processed_trips  "), upgraded.summary);
    assertEquals(zonesBefore, Outputs.zones(lake).toString(), "the tables list exactly the folders' files");
    assertTrue(DirectRun.run("", lake, "--upgradeLake=true", "--runId=up2").summary.contains("nothing to register"));

    Outcome incremental =
        DirectRun.run(a + "," + b, lake, "--inputFormat=app", "--incremental=true", "--runId=r2");
    assertEquals(1, json.readTree(incremental.report.toJson()).get("inputs").size(),
        "the upgraded ledger knows the first file");
    Path full = tmp.resolve("full");
    DirectRun.run(a + "," + b, full, "--inputFormat=app", "--runId=full");
    assertEquals(Outputs.zones(full), Outputs.zones(lake), "every column of every zone");

    List<String> rejectedBefore = TableFiles.current(lake.toString(), LakeZone.REJECTED);
    assertTrue(rejectedBefore.size() >= 2, "the upgrade's and the incremental run's rejected files: " + rejectedBefore);
    Outcome compacted = DirectRun.run("", lake, "--compactLake=true", "--runId=c1");
    assertTrue(compacted.summary.matches("(?s).*rejected +1 partition\\(s\\): " + rejectedBefore.size()
        + " file\\(s\\) into 1, .*"), compacted.summary);
    List<String> rejectedAfter = TableFiles.current(lake.toString(), LakeZone.REJECTED);
    assertEquals(1, rejectedAfter.size(), rejectedAfter.toString());
    assertTrue(rejectedAfter.get(0).contains("/c1-part-compacted-"), rejectedAfter.toString());
    assertEquals(Outputs.zones(full), Outputs.zones(lake), "compacted: still every column of every zone");
    assertTrue(DirectRun.run("", lake, "--compactLake=true", "--runId=c2").summary.contains("nothing to compact"));
    try (IcebergLake tables = IcebergLake.open(null, "tripbeam", new LakeLayout(lake.toString()))) {
      Table rejected = tables.existing(LakeZone.REJECTED);
      assertEquals("replace", rejected.currentSnapshot().operation());
      assertEquals("c1", rejected.currentSnapshot().summary().get(TableCommit.RUN_ID));
      List<String> previous = new ArrayList<>();
      for (FileScanTask t : rejected.newScan().useSnapshot(rejected.currentSnapshot().parentId()).planFiles()) {
        previous.add(t.file().location());
      }
      assertEquals(new TreeSet<>(rejectedBefore), new TreeSet<>(previous), "the snapshot before keeps its files");
    }
  }

  /** Turns a lake of today's format into one of the folder format: no catalog, ledger or metadata; a manifest. */
  private static void toFolderFormat(Path lake, Path raw) throws Exception {
    for (String gone : List.of("_catalog", "_ledger", "processed/trips/metadata", "aggregated/zone_daily/metadata",
        "aggregated/user_daily/metadata", "aggregated/anomalies/metadata", "rejected/metadata")) {
      deleteTree(lake.resolve(gone));
    }
    RawFile file = RawFile.of(FileSystems.match(raw.toString()).metadata().get(0));
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = json.createObjectNode().put("run_id", "old").put("mode", "full_refresh");
    ObjectNode entry =
        manifest.putArray("raw_files").addObject().put("path", file.path()).put("size", file.size())
            .put("checksum", file.checksum());
    ArrayNode dates = entry.putArray("pickup_dates");
    Outputs.query("select distinct strftime(pickup_date, '%Y-%m-%d') from read_parquet('" + lake
        + "/processed/trips/*/*.parquet') order by 1").forEach(dates::add);
    Files.createDirectories(lake.resolve("_manifests/runs"));
    Files.writeString(lake.resolve("_manifests/runs/old.json"), json.writeValueAsString(manifest));
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
