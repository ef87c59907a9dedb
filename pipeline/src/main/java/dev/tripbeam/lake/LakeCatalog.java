package dev.tripbeam.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.aws.AwsProperties;
import org.apache.iceberg.aws.glue.GlueCatalog;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The Iceberg catalog that holds the lake's tables, named by {@code --catalog}: {@code jdbc:sqlite:PATH} (a local
 * file, for local lakes and tests), {@code jdbc:postgresql://HOST:PORT/DB} (a shared database), or {@code glue} (the
 * AWS Glue Data Catalog of the account and region the AWS SDK finds, the one EMR, Athena and Redshift read; {@code
 * glue:ENDPOINT} for an emulator). The warehouse (where new tables' metadata goes) is any Beam file system path,
 * {@code s3://} included; files are read and written through {@link BeamFileIO}. No Hadoop catalog: on S3 it relies
 * on an atomic rename S3 does not have.
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
          "the lake catalog must be jdbc:sqlite:PATH, jdbc:postgresql://HOST:PORT/DB or glue, not '" + shown(url) + "'");
    }
    Map<String, String> properties = common(warehouse);
    properties.put(CatalogProperties.URI, url);
    properties.put("jdbc.schema-version", "V1");
    if (lower.startsWith("jdbc:sqlite:")) {
      // Other processes read the file while a run writes (writers take turns, CatalogLock): with a write-ahead log,
      // readers never block the writer; a lock is waited for, not failed on.
      properties.put("jdbc.busy_timeout", "120000");
      properties.put("jdbc.journal_mode", "WAL");
    }
    if (user != null) {
      properties.put("jdbc.user", user);
    }
    if (password != null) {
      properties.put("jdbc.password", password);
    }
    // Creating the catalog's own tables leaves a read open on the connection that checked for them (Iceberg 1.10.1):
    // on SQLite that connection would see no later commit of another process, so the tables are made by a catalog
    // closed at once, and the one returned does not look for them.
    properties.put("jdbc.init-catalog-tables", "true");
    try (JdbcCatalog init = new JdbcCatalog()) {
      init.initialize(NAME, properties);
    }
    properties.put("jdbc.init-catalog-tables", "false");
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.initialize(NAME, properties);
    return catalog;
  }

  /** The Glue Data Catalog, at the SDK's endpoint or {@code endpoint} (an emulator's) when not null. */
  static GlueCatalog glue(@Nullable String endpoint, String warehouse) {
    Map<String, String> properties = common(warehouse);
    if (endpoint != null) {
      properties.put(AwsProperties.GLUE_CATALOG_ENDPOINT, endpoint);
    }
    // Each commit is one UpdateTable checked by the table's Glue version; the old versions are not kept.
    properties.put(AwsProperties.GLUE_CATALOG_SKIP_ARCHIVE, "true");
    GlueCatalog catalog = new GlueCatalog();
    catalog.initialize(NAME, properties);
    return catalog;
  }

  private static Map<String, String> common(String warehouse) {
    if (warehouse == null || warehouse.isBlank()) {
      throw new IllegalArgumentException("the lake catalog needs a warehouse path (a folder or s3://bucket/prefix)");
    }
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    properties.put(CatalogProperties.FILE_IO_IMPL, BeamFileIO.class.getName());
    return properties;
  }

  /**
   * The URL of the lake's catalog: {@code option} ({@code --catalog}) when given, else a SQLite catalog in the lake's
   * {@code _catalog/} folder for a lake on a local disk.
   *
   * @throws IllegalArgumentException with a one-line message for a lake on S3 without a catalog
   */
  static String url(String option, LakeLayout layout) {
    return option == null || option.isBlank() ? defaultUrl(layout) : option.trim();
  }

  /**
   * Opens the catalog at {@code url} with the lake's root as its warehouse. For PostgreSQL without a user in the URL,
   * the user and password come from {@code PGUSER} and {@code PGPASSWORD}.
   */
  static Catalog forLake(String url, LakeLayout layout) {
    if (url.equals("glue") || url.startsWith("glue:")) {
      return glue(url.equals("glue") ? null : url.substring("glue:".length()), layout.root());
    }
    boolean postgres = url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:") && !url.contains("user=");
    return open(url, layout.root(), postgres ? System.getenv("PGUSER") : null, postgres ? System.getenv("PGPASSWORD") : null);
  }

  private static String defaultUrl(LakeLayout layout) {
    if (layout.root().contains("://")) {
      throw new IllegalArgumentException(
          "a lake at " + layout.root() + " needs --catalog (glue, jdbc:postgresql://HOST:PORT/DB or jdbc:sqlite:PATH): "
              + "its tables' catalog cannot live in an object store");
    }
    Path folder = Path.of(layout.catalogFolder());
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create the lake's catalog folder " + folder + ": " + e.getMessage());
    }
    return "jdbc:sqlite:" + folder.resolve("iceberg.db");
  }

  /** A URL as it may be shown: without anything after '?' (where a password could be). */
  static String shown(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?…";
  }
}
