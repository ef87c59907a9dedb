package dev.tripbeam.cli;

import java.io.IOException;
import java.util.List;

/**
 * The Spark settings tripbeam depends on: a serialized storage level unless given, partitions sized to the input
 * (unless {@code spark.default.parallelism} is set), and the driver's REST API for the progress line. SparkConf reads
 * {@code spark.*} system properties when the engine starts, so the sizing is set then ({@link #sizePartitions}).
 */
final class SparkArguments {
  static final String PARALLELISM = "spark.default.parallelism";

  private SparkArguments() {}

  /** Adds the settings to {@code out} and returns the REST address to read progress from (null: none). */
  static String add(List<String> out) {
    if (Arguments.value(out, "storageLevel") == null) {
      // Beam's Spark runner caches every multi-consumer RDD MEMORY_ONLY by default: out of heap at 5M trips.
      out.add("--storageLevel=MEMORY_AND_DISK_SER");
    }
    return rest();
  }

  /** Whether tripbeam sizes Spark's partitions to the input: unless the user set {@value #PARALLELISM}. */
  static boolean sizesPartitions() {
    return System.getProperty(PARALLELISM) == null;
  }

  /**
   * At least two partitions per raw file: with local[N]'s default of N partitions, one partition held a whole input
   * file's trips and its cached block no longer fit the heap; with 16 partitions for 60 files (30M trips), cached
   * blocks of ~1 GB ran a 6 GiB heap out of memory when read back.
   */
  static void sizePartitions(int rawFiles) {
    System.setProperty(PARALLELISM, Integer.toString(Math.max(16, 2 * rawFiles)));
  }

  /** The Spark driver's REST API: on the UI port the user set, else on a free port; none when the UI is off. */
  private static String rest() {
    if ("false".equals(System.getProperty("spark.ui.enabled"))) {
      return null;
    }
    if (System.getProperty("spark.ui.port") != null) {
      return "http://127.0.0.1:" + System.getProperty("spark.ui.port");
    }
    try {
      int port = Arguments.freePort();
      System.setProperty("spark.ui.port", Integer.toString(port));
      return "http://127.0.0.1:" + port;
    } catch (IOException e) {
      return null;
    }
  }
}
