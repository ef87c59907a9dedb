package dev.tripbeam.lake;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.ParquetUtil;

/**
 * Parquet files written by the job, described as a table's data files: size, row count and column metrics from each
 * file's footer (through the table's name mapping, as the files carry no field ids), and the partition from the
 * file's {@code pickup_date=YYYY-MM-DD/} folder.
 */
public final class ZoneFiles {
  private ZoneFiles() {}

  /** The data files of {@code paths} (Parquet files of the table's zone) for {@code table}. */
  public static List<DataFile> of(Table table, LakeZone zone, List<String> paths) {
    NameMapping mapping = NameMappingParser.fromJson(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING));
    MetricsConfig metrics = MetricsConfig.forTable(table);
    List<DataFile> files = new ArrayList<>();
    for (String path : paths) {
      InputFile in = table.io().newInputFile(path);
      DataFiles.Builder file =
          DataFiles.builder(table.spec())
              .withPath(path)
              .withFormat(FileFormat.PARQUET)
              .withFileSizeInBytes(in.getLength())
              .withMetrics(ParquetUtil.fileMetrics(in, metrics, mapping));
      if (zone.partitioned()) {
        file.withPartitionPath(partitionPath(path));
      }
      files.add(file.build());
    }
    return files;
  }

  /** The data file of one Parquet file of an unpartitioned table. */
  static DataFile unpartitioned(Table table, String path) {
    InputFile in = table.io().newInputFile(path);
    NameMapping mapping = NameMappingParser.fromJson(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING));
    return DataFiles.builder(table.spec())
        .withPath(path)
        .withFormat(FileFormat.PARQUET)
        .withFileSizeInBytes(in.getLength())
        .withMetrics(ParquetUtil.fileMetrics(in, MetricsConfig.forTable(table), mapping))
        .build();
  }

  /** {@code pickup_date=YYYY-MM-DD} of a file's folder. */
  static String partitionPath(String path) {
    String marker = "/" + LakeZone.PARTITION_COLUMN + "=";
    int at = path.lastIndexOf(marker);
    int end = at < 0 ? -1 : path.indexOf('/', at + 1);
    if (at < 0 || end < 0) {
      throw new IllegalArgumentException("not in a " + LakeZone.PARTITION_COLUMN + " folder: " + path);
    }
    return path.substring(at + 1, end);
  }
}
