package dev.tripbeam.serving;

import dev.tripbeam.lake.IcebergLake;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One pickup date of a served table in the lake table's current snapshot: its files, their total size, its version
 * (the sequence number of the table's commit that wrote the date's files, which every later commit of the date
 * changes and snapshot expiry does not) and the run that wrote it.
 */
record LakePartition(ServingTable table, String date, List<String> files, long bytes, String version, String runId) {
  /** The lake's partitions of a table by date, in snapshot {@code snapshotId} or the current one when null. */
  static Map<String, LakePartition> of(IcebergLake lake, ServingTable table, @Nullable Long snapshotId) {
    Map<String, LakePartition> partitions = new TreeMap<>();
    lake.partitions(table.zone(), snapshotId)
        .forEach(
            (date, p) ->
                partitions.put(
                    date,
                    new LakePartition(
                        table, date, p.files(), p.bytes(), "commit-" + p.sequence(), p.runId())));
    return partitions;
  }
}
