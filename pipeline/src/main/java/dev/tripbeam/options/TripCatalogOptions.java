package dev.tripbeam.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The Iceberg catalog that holds the lake's tables, and how long their history is kept. */
public interface TripCatalogOptions extends PipelineOptions {
  @Description(
      "The Iceberg catalog of the lake's tables: jdbc:sqlite:PATH or jdbc:postgresql://HOST:PORT/DB (user and "
          + "password as URL parameters or PGUSER/PGPASSWORD). Default for a lake on a local disk: a SQLite "
          + "catalog in its _catalog/ folder; a lake on S3 must name one.")
  String getCatalog();

  void setCatalog(String value);

  @Description("The catalog namespace of the lake's tables (one per lake when lakes share a catalog).")
  @Default.String("tripbeam")
  String getCatalogNamespace();

  void setCatalogNamespace(String value);

  @Description(
      "Snapshots older than this many days are expired after each batch run (their unreferenced files deleted); "
          + "the current snapshot always stays. Time travel reaches back this far.")
  @Default.Integer(7)
  int getExpireSnapshotsDays();

  void setExpireSnapshotsDays(int value);

  @Description(
      "Register a lake of the folder format (zone folders and _manifests/, before the zones were Iceberg tables) in "
          + "its tables, in place, and run nothing else: each zone's files become its table's first snapshot and "
          + "the manifests' raw files its ledger. Repeatable; with --output and the lake's --catalog.")
  @Default.Boolean(false)
  boolean getUpgradeLake();

  void setUpgradeLake(boolean value);

  @Description(
      "Delete the files under the tables' folders that no snapshot reaches (left by killed or refused runs) and that "
          + "are older than --orphanMinAgeHours, and run nothing else. With --output and the lake's --catalog.")
  @Default.Boolean(false)
  boolean getCleanOrphans();

  void setCleanOrphans(boolean value);

  @Description(
      "Rewrite each partition of the tables that holds several small files into one file (one snapshot per table; "
          + "readers of older snapshots keep the old files until they expire), and run nothing else. With --output "
          + "and the lake's --catalog.")
  @Default.Boolean(false)
  boolean getCompactLake();

  void setCompactLake(boolean value);

  @Description("The safety age of --cleanOrphans: younger files may belong to a run still publishing.")
  @Default.Integer(72)
  int getOrphanMinAgeHours();

  void setOrphanMinAgeHours(int value);
}
