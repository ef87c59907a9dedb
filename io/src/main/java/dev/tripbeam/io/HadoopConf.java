package dev.tripbeam.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;

/**
 * The Hadoop configuration Parquet's readers are given: parsed once. A new {@code Configuration} parses Hadoop's XML
 * defaults again when first read, which cost more than reading a small Parquet file (about 6 ms a file).
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
    return new HadoopParquetConfiguration(new Configuration(LOADED));
  }
}
