package dev.tripbeam.lake;

import dev.tripbeam.io.ChannelOutputFile;
import dev.tripbeam.io.WriteParquet;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * {@code --compactLake}: rewrites each partition of the lake's tables that holds several small files (of one table's
 * current snapshot: a pickup date of a partitioned zone, the whole of an unpartitioned one) into one file, as one
 * snapshot per table ({@code RewriteFiles}, operation {@code replace}, summary {@value TableCommit#RUN_ID}). The rows
 * are read through the table and written with the job's own writer settings ({@link WriteParquet#recordWriter}); if
 * the rows read differ from the files' record counts the command stops with an error and that table is unchanged.
 * Checked against the snapshot it read: a run that committed the table meanwhile makes the rewrite fail and the
 * table is skipped, its files unchanged. Readers of older snapshots keep
 * the replaced files until expiry. Input: the lake's tables; output: per table, the partitions and files rewritten.
 */
public final class Compaction {
  /** Groups of at most this many bytes are rewritten; a larger partition is left as it is. */
  static final long MAX_GROUP_BYTES = 256L << 20;

  /** What one table's compaction did: partitions rewritten, files before, or why the table was skipped. */
  public record Result(int partitions, int filesBefore, long rows, String skipped) {}

  private Compaction() {}

  /** Compacts every zone's table; the results by table name, for tables with something to compact. */
  public static Map<String, Result> compact(IcebergLake tables, String runId) throws IOException {
    Map<String, Result> results = new LinkedHashMap<>();
    for (LakeZone zone : LakeZone.values()) {
      Table table = tables.existing(zone);
      if (table == null || table.currentSnapshot() == null) {
        continue;
      }
      long base = table.currentSnapshot().snapshotId();
      Map<String, List<DataFile>> groups = groups(table, zone, base);
      if (!groups.isEmpty()) {
        results.put(zone.zoneName(), tables.writing(() -> rewrite(table, zone, groups, base, runId)));
      }
    }
    return results;
  }

  /** A snapshot's files by partition, for partitions with several files and room to merge them. */
  static Map<String, List<DataFile>> groups(Table table, LakeZone zone, long snapshot) {
    Map<String, List<DataFile>> byPartition = new TreeMap<>();
    for (DataFile f : IcebergLake.dataFiles(table, snapshot)) {
      byPartition.computeIfAbsent(zone.partitioned() ? IcebergLake.pickupDate(f) : "", p -> new ArrayList<>()).add(f);
    }
    byPartition.values().removeIf(
        files -> files.size() < 2 || files.stream().mapToLong(DataFile::fileSizeInBytes).sum() > MAX_GROUP_BYTES);
    return byPartition;
  }

  /** Rewrites {@code groups} of snapshot {@code base} as one snapshot, or skips the table when it changed since. */
  static Result rewrite(Table table, LakeZone zone, Map<String, List<DataFile>> groups, long base, String runId)
      throws IOException {
    RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(base);
    int files = 0;
    long rows = 0;
    List<String> written = new ArrayList<>();
    try {
      for (Map.Entry<String, List<DataFile>> group : groups.entrySet()) {
        DataFile merged = merge(table, zone, group.getKey(), group.getValue(), base, runId);
        written.add(merged.location());
        group.getValue().forEach(rewrite::deleteFile);
        rewrite.addFile(merged);
        files += group.getValue().size();
        rows += merged.recordCount();
      }
      rewrite.set(TableCommit.RUN_ID, runId).set("tripbeam.mode", "compact");
      rewrite.commit();
    } catch (ValidationException e) {
      written.forEach(table.io()::deleteFile);
      return new Result(0, 0, 0, "a run committed to it meanwhile: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      written.forEach(table.io()::deleteFile);
      throw e;
    }
    return new Result(groups.size(), files, rows, null);
  }

  /**
   * One file of the rows of {@code files} (partition {@code date}, or "" for an unpartitioned zone), written as the
   * job writes the zone (its layout and writer settings, no field ids) and registered like the job's files.
   */
  private static DataFile merge(
      Table table, LakeZone zone, String date, List<DataFile> files, long snapshot, String runId) throws IOException {
    long expected = files.stream().mapToLong(DataFile::recordCount).sum();
    String folder = zone.partitioned() ? table.location() + "/" + LakeZone.partition(date) : table.location();
    String path = folder + "/" + runId + "-part-compacted-" + UUID.randomUUID().toString().substring(0, 8) + ".parquet";
    Expression rows = zone.partitioned() ? Expressions.equal(LakeZone.PARTITION_COLUMN, date) : Expressions.alwaysTrue();
    Schema avro = zone.schema();
    long read = 0;
    try (WritableByteChannel channel = FileSystems.create(LakeFiles.resource(path), "application/octet-stream");
        ParquetWriter<GenericRecord> writer = WriteParquet.recordWriter(new ChannelOutputFile(channel), zone.layout());
        CloseableIterable<Record> records = IcebergGenerics.read(table).useSnapshot(snapshot).where(rows).build()) {
      for (Record r : records) {
        writer.write(avroRecord(avro, r));
        read++;
      }
    }
    DataFile merged = ZoneFiles.of(table, zone, List.of(path)).get(0);
    if (read != expected || merged.recordCount() != expected) {
      table.io().deleteFile(path);
      throw new IOException(String.format(
          "compacting %s %s read %d rows and wrote %d where its %d files hold %d; nothing was changed",
          zone.zoneName(), date, read, merged.recordCount(), files.size(), expected));
    }
    return merged;
  }

  /** A table row in the zone's Avro layout: times as micros (UTC, or New York wall clock), dates as epoch days. */
  private static GenericRecord avroRecord(Schema avro, Record row) {
    GenericData.Record out = new GenericData.Record(avro);
    for (Schema.Field f : avro.getFields()) {
      Object v = row.getField(f.name());
      out.put(f.name(), v instanceof OffsetDateTime t ? ChronoUnit.MICROS.between(Instant.EPOCH, t.toInstant())
          : v instanceof LocalDateTime t ? ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), t)
          : v instanceof LocalDate d ? (int) d.toEpochDay()
          : v instanceof CharSequence c ? c.toString()
          : v);
    }
    return out;
  }
}
