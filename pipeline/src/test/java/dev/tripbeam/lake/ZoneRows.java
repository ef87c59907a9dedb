package dev.tripbeam.lake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Parquet files of a zone's schema whose rows hold any values but their pickup date: tests that follow files. */
final class ZoneRows {
  private ZoneRows() {}

  /** Writes {@code rows} rows of {@code zone} to {@code file}, their pickup date {@code date} (null: none). */
  static void write(Path file, LakeZone zone, @Nullable String date, int rows) throws Exception {
    Files.createDirectories(file.getParent());
    try (ParquetWriter<GenericRecord> out =
        AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file)).withSchema(zone.schema()).build()) {
      for (int i = 0; i < rows; i++) {
        out.write(row(zone.schema(), date));
      }
    }
  }

  /** One row of any values, its pickup date {@code date}. */
  static GenericRecord row(Schema schema, @Nullable String date) {
    GenericData.Record row = new GenericData.Record(schema);
    for (Schema.Field f : schema.getFields()) {
      Schema type = f.schema().isUnion() ? f.schema().getTypes().get(1) : f.schema();
      Object value =
          switch (type.getType()) {
            case STRING -> "x";
            case INT -> f.name().equals(LakeZone.PARTITION_COLUMN) && date != null
                ? (int) LocalDate.parse(date).toEpochDay() : 0;
            case LONG -> 0L;
            case DOUBLE -> 0.0;
            case FLOAT -> 0.0f;
            case BOOLEAN -> false;
            default -> null;
          };
      row.put(f.name(), value);
    }
    return row;
  }
}
