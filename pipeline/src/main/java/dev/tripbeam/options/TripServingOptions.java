package dev.tripbeam.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The serving database (PostgreSQL, RDS in production) a run loads after it published the lake. */
public interface TripServingOptions extends PipelineOptions {
  @Description(
      "jdbc:postgresql://HOST:PORT/DATABASE[?PARAMS]: after the lake publication commits, the run brings the tables "
          + "user_daily and zone_daily of this database level with the lake's aggregated zones (the dates it "
          + "replaced; the schema is migrated first). The login comes from PGUSER and PGPASSWORD, a password file "
          + "(PGPASSFILE, default ~/.pgpass) or --servingSecretArn, never from this URL. A failed load leaves the "
          + "lake published and exits with code 3.")
  String getServingJdbcUrl();

  void setServingJdbcUrl(String value);

  @Description("At most this many connections to the serving database at once (each loads whole pickup dates).")
  @Default.Integer(4)
  int getServingMaxConnections();

  void setServingMaxConnections(int value);

  @Description(
      "ARN of an AWS Secrets Manager secret holding the serving database's login as RDS keeps it (JSON with "
          + "username and password), read with the AWS credentials and region of the S3 options.")
  String getServingSecretArn();

  void setServingSecretArn(String value);

  @Description(
      "Run no pipeline: bring the serving database (--servingJdbcUrl) level with the lake at --output, loading every "
          + "date it does not hold as the lake has it. The reload after a failed load.")
  @Default.Boolean(false)
  boolean getServeOnly();

  void setServeOnly(boolean value);

  @Description(
      "With --serveOnly: load the serving database as the lake was when run R committed (each served table's last "
          + "snapshot of R), every other date removed: the database of a past run. Snapshots are kept "
          + "--expireSnapshotsDays; the next --serveOnly without it brings the database back level with the lake.")
  String getAsOfRun();

  void setAsOfRun(String value);
}
