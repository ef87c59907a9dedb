package dev.tripbeam.sparkreader;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Reads Iceberg tables through a JDBC catalog with Spark SQL and writes each one's rows as Parquet, for another engine
 * to compare. Arguments: the catalog's JDBC URL, the catalog's name (its rows' {@code catalog_name}), its warehouse, the
 * namespace, the output folder, then the tables, each {@code NAME} (its current snapshot) or {@code NAME@SNAPSHOT_ID}
 * (Spark SQL's {@code VERSION AS OF}).
 * Output: {@code OUT/<table>/} per table, timestamps as TIMESTAMP_MICROS; one line per table on standard output,
 * {@code <table> <rows>}.
 */
public final class CopyTables {
  private CopyTables() {}

  public static void main(String[] args) {
    if (args.length < 6) {
      System.err.println("usage: CopyTables JDBC_URL CATALOG WAREHOUSE NAMESPACE OUT TABLE...");
      System.exit(2);
    }
    String catalog = "spark.sql.catalog." + args[1];
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("tripbeam-spark-reader")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
            .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
            .config(catalog, "org.apache.iceberg.spark.SparkCatalog")
            .config(catalog + ".type", "jdbc")
            .config(catalog + ".uri", args[0])
            .config(catalog + ".warehouse", args[2])
            .getOrCreate();
    try {
      for (int i = 5; i < args.length; i++) {
        String[] tableAt = args[i].split("@", 2);
        String query = "SELECT * FROM " + args[1] + "." + args[3] + "." + tableAt[0]
            + (tableAt.length == 2 ? " VERSION AS OF " + Long.parseLong(tableAt[1]) : "");
        Dataset<Row> rows = spark.sql(query);
        rows.coalesce(1).write().mode(SaveMode.Overwrite).parquet(args[4] + "/" + args[i]);
        System.out.println(args[i] + " " + spark.read().parquet(args[4] + "/" + args[i]).count());
      }
    } finally {
      spark.stop();
    }
  }
}
