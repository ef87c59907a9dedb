package dev.tripbeam.lake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;

/**
 * {@code --cleanOrphans}: deletes the files under a table's folder that no snapshot of it reaches (data files, manifest
 * lists, manifests, metadata files) and that are older than a safety age, so that a run still copying its files, or
 * committing, keeps them. Such files are left by runs killed after copying and before committing, or refused by a
 * concurrent run's commit before they could remove their copies.
 */
public final class OrphanFiles {
  private OrphanFiles() {}

  /**
   * Deletes every table's orphans older than {@code minAgeMillis}.
   *
   * @return by table name, the number of files deleted
   */
  public static Map<String, Integer> clean(IcebergLake tables, long minAgeMillis) throws IOException {
    return tables.writing(
        () -> {
          long cutoff = System.currentTimeMillis() - minAgeMillis;
          Map<String, Integer> deleted = new LinkedHashMap<>();
          for (Table table : tables.existingTables()) {
            deleted.put(IcebergLake.tableName(table), clean(table, cutoff));
          }
          return deleted;
        });
  }

  private static int clean(Table table, long cutoff) throws IOException {
    Set<String> reachable = reachable(table);
    List<String> orphans = new ArrayList<>();
    for (MatchResult.Metadata file : LakeFiles.list(table.location() + "/**")) {
      String path = file.resourceId().toString();
      if (!reachable.contains(path) && file.lastModifiedMillis() < cutoff) {
        orphans.add(path);
      }
    }
    LakeFiles.delete(orphans);
    return orphans.size();
  }

  /** Every file a snapshot of the table, or its metadata log, names. */
  private static Set<String> reachable(Table table) throws IOException {
    Set<String> files = new HashSet<>();
    TableMetadata current = ((HasTableOperations) table).operations().current();
    files.add(current.metadataFileLocation());
    current.previousFiles().forEach(entry -> files.add(entry.file()));
    for (Snapshot snapshot : table.snapshots()) {
      files.add(snapshot.manifestListLocation());
      for (ManifestFile manifest : snapshot.allManifests(table.io())) {
        files.add(manifest.path());
      }
      IcebergLake.dataFiles(table, snapshot.snapshotId()).forEach(f -> files.add(f.location()));
    }
    return files;
  }
}
