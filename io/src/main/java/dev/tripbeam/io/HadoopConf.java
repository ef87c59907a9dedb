package dev.tripbeam.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;

/**
 * The Hadoop configuration Parquet's readers and writers are given: parsed once. A new {@code Configuration} parses
 * Hadoop's XML defaults again when first read, which cost more than reading a small Parquet file (about 6 ms a file)
 * and, per written file, more than writing a few thousand trips.
 */
final class HadoopConf {
  private static final Configuration LOADED = loaded();

  private HadoopConf() {}

  private static Configuration loaded() {
    Configuration conf = new Configuration();
    conf.size();
    return conf;
  }

  /** A copy of the parsed configuration (Parquet's readers may set their own keys in it). */
  static ParquetConfiguration copy() {
    return new HadoopParquetConfiguration(hadoopCopy());
  }

  /** A copy of the parsed configuration as Hadoop's type, for Parquet's writer builders. */
  static Configuration hadoopCopy() {
    return new Configuration(LOADED);
  }
}
