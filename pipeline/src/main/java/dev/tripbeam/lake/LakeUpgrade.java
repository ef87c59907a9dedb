package dev.tripbeam.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Table;

/**
 * Registers a lake of the folder format (before its zones were Iceberg tables) in its tables, in place: each zone's
 * table gets, in one snapshot, the Parquet files its folder holds that it does not list, and loses the files it lists
 * that the folder no longer holds; a table already level is left alone. The raw-files ledger gets the raw files of
 * the old manifests ({@code _manifests/runs/*.json}) once. Nothing is copied or rewritten.
 */
public final class LakeUpgrade {
  private LakeUpgrade() {}

  /**
   * Brings every zone's table level with its folder, committing as {@code runId}.
   *
   * @return by table name, the files added and removed
   */
  public static Map<String, int[]> register(IcebergLake tables, String runId) throws IOException {
    return tables.writing(() -> registerFolders(tables, runId));
  }

  private static Map<String, int[]> registerFolders(IcebergLake tables, String runId) throws IOException {
    LakeLayout layout = tables.layout();
    Map<String, int[]> changed = new LinkedHashMap<>();
    for (LakeZone zone : LakeZone.values()) {
      Set<String> inFolder = new LinkedHashSet<>();
      for (String path : LakeFiles.paths(layout.zone(zone) + "/**")) {
        if (path.endsWith(".parquet") && !path.contains("/metadata/")) {
          inFolder.add(path);
        }
      }
      Table table = tables.ensure(zone);
      Set<String> listed = new HashSet<>();
      List<DataFile> gone = new ArrayList<>();
      for (DataFile f : IcebergLake.dataFiles(table, null)) {
        listed.add(f.location());
        if (!inFolder.contains(f.location())) {
          gone.add(f);
        }
      }
      List<String> added = new ArrayList<>(inFolder);
      added.removeAll(listed);
      if (added.isEmpty() && gone.isEmpty() && table.currentSnapshot() != null) {
        continue;
      }
      OverwriteFiles overwrite = table.newOverwrite();
      ZoneFiles.of(table, zone, added).forEach(overwrite::addFile);
      gone.forEach(overwrite::deleteFile);
      overwrite.set(TableCommit.RUN_ID, runId).set("tripbeam.mode", "upgrade").commit();
      changed.put(zone.zoneName(), new int[] {added.size(), gone.size()});
    }
    registerManifests(tables, layout, runId);
    return changed;
  }

  /** The raw files of the old manifests into the ledger, when it has none yet. */
  private static void registerManifests(IcebergLake tables, LakeLayout layout, String runId) throws IOException {
    List<String> manifests = LakeFiles.paths(layout.root() + "/_manifests/runs/*.json");
    Table existing = tables.existingLedger();
    if (manifests.isEmpty() || (existing != null && existing.currentSnapshot() != null)) {
      return;
    }
    List<RawFile> files = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String manifest : manifests) {
      json.readTree(LakeFiles.read(manifest)).path("raw_files").forEach(f -> files.add(RawFile.fromJson(f)));
    }
    RawFilesLedger.commit(tables.ensureLedger(), RunMode.INCREMENTAL, runId, files);
  }
}
