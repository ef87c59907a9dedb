package dev.tripbeam.lake;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The Iceberg catalog that holds the lake's tables, named by a JDBC URL: {@code jdbc:sqlite:PATH} (a local file, for
 * local lakes and tests) or {@code jdbc:postgresql://HOST:PORT/DB} (a shared database). The warehouse (where new
 * tables' metadata goes) is any Beam file system path, {@code s3://} included; files are read and written through
 * {@link BeamFileIO}. No Hadoop catalog: on S3 it relies on an atomic rename S3 does not have.
 */
public final class LakeCatalog {
  /** The catalog's name in Iceberg (it names the catalog's rows in the JDBC tables). */
  public static final String NAME = "tripbeam";

  private LakeCatalog() {}

  /**
   * Opens the catalog at {@code url} with its warehouse at {@code warehouse}; {@code user} and {@code password} are for
   * a database that needs them (may be null).
   *
   * @throws IllegalArgumentException with a one-line message for a URL that names no supported catalog
   */
  public static JdbcCatalog open(String url, String warehouse, String user, String password) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("jdbc:sqlite:") && !lower.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "the lake catalog must be jdbc:sqlite:PATH or jdbc:postgresql://HOST:PORT/DB, not '" + shown(url) + "'");
    }
    if (warehouse == null || warehouse.isBlank()) {
      throw new IllegalArgumentException("the lake catalog needs a warehouse path (a folder or s3://bucket/prefix)");
    }
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.URI, url);
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    properties.put(CatalogProperties.FILE_IO_IMPL, BeamFileIO.class.getName());
    properties.put("jdbc.schema-version", "V1");
    if (user != null) {
      properties.put("jdbc.user", user);
    }
    if (password != null) {
      properties.put("jdbc.password", password);
    }
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.initialize(NAME, properties);
    return catalog;
  }

  /** A URL as it may be shown: without anything after '?' (where a password could be). */
  static String shown(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?…";
  }
}
