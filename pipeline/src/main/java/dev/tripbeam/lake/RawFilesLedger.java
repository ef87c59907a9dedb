package dev.tripbeam.lake;

import dev.tripbeam.io.ChannelOutputFile;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericData;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.avro.AvroSchemaUtil;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * The raw-files ledger, an Iceberg table of one row per raw file a committed run processed: its path, size and
 * checksum (the key an incremental run compares), its file-level error, the pickup dates of its valid trips, and the
 * run. A run commits its rows after its zones' tables, so a file is recorded only once its trips are in the zones. A
 * full refresh replaces the whole ledger; other runs append.
 */
public final class RawFilesLedger {
  /** The table's name. */
  public static final String NAME = "raw_files";

  public static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "run_id", Types.StringType.get()),
          Types.NestedField.required(2, "path", Types.StringType.get()),
          Types.NestedField.required(3, "size", Types.LongType.get()),
          Types.NestedField.required(4, "checksum", Types.StringType.get()),
          Types.NestedField.optional(5, "error", Types.StringType.get()),
          Types.NestedField.required(
              6, "pickup_dates", Types.ListType.ofRequired(8, Types.StringType.get())),
          Types.NestedField.required(7, "committed_at", Types.TimestampType.withZone()));

  private RawFilesLedger() {}

  /** Commits the run's raw files to the ledger, as one snapshot naming the run. */
  public static void commit(Table ledger, RunMode mode, String runId, List<RawFile> files) throws IOException {
    DataFile rows = write(ledger, runId, files);
    SnapshotUpdate<?> update =
        mode.replacesPartitions()
            ? ledger.newAppend().appendFile(rows)
            : ledger.newOverwrite().overwriteByRowFilter(Expressions.alwaysTrue()).addFile(rows);
    update.set(TableCommit.RUN_ID, runId);
    update.set("tripbeam.raw-files", Integer.toString(files.size()));
    update.commit();
  }

  /** Every raw file the ledger's current snapshot records. */
  public static List<RawFile> read(Table ledger) throws IOException {
    List<RawFile> files = new ArrayList<>();
    if (ledger.currentSnapshot() == null) {
      return files;
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(ledger).build()) {
      for (Record r : rows) {
        List<String> dates = new ArrayList<>();
        ((List<?>) r.getField("pickup_dates")).forEach(d -> dates.add(d.toString()));
        Object error = r.getField("error");
        files.add(
            new RawFile(
                r.getField("path").toString(), (Long) r.getField("size"), r.getField("checksum").toString(),
                error == null ? "" : error.toString(), dates));
      }
    }
    return files;
  }

  /**
   * Writes the run's rows as one Parquet file under the ledger's folder, with parquet-avro (the Parquet the job's
   * writers use; Iceberg's own writer needs a newer one), and describes it from its footer as the zones' files are.
   */
  private static DataFile write(Table ledger, String runId, List<RawFile> files) throws IOException {
    String path = ledger.location() + "/data/" + runId + "-" + UUID.randomUUID() + ".parquet";
    org.apache.avro.Schema avro = AvroSchemaUtil.convert(SCHEMA, NAME);
    long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    try (WritableByteChannel channel = FileSystems.create(LakeFiles.resource(path), "application/octet-stream");
        ParquetWriter<GenericData.Record> writer =
            AvroParquetWriter.<GenericData.Record>builder(new ChannelOutputFile(channel))
                .withSchema(avro)
                .withConf(new PlainParquetConfiguration(Map.of("parquet.avro.write-old-list-structure", "false")))
                .build()) {
      for (RawFile f : files) {
        GenericData.Record row = new GenericData.Record(avro);
        row.put("run_id", runId);
        row.put("path", f.path());
        row.put("size", f.size());
        row.put("checksum", f.checksum());
        row.put("error", f.error().isEmpty() ? null : f.error());
        row.put("pickup_dates", List.copyOf(f.dates()));
        row.put("committed_at", now);
        writer.write(row);
      }
    }
    return ZoneFiles.unpartitioned(ledger, path);
  }
}
