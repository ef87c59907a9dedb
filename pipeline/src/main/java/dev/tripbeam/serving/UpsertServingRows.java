package dev.tripbeam.serving;

import dev.tripbeam.io.Messages;
import dev.tripbeam.model.UserDaily;
import dev.tripbeam.model.ZoneDaily;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts a stream's running and final aggregate rows into the serving database, into the tables the batch load fills.
 *
 * <p>Input: {@link UserDaily} or {@link ZoneDaily} rows as the day windows fire them (early panes with the keys that
 * changed, the on-time pane with every key). Output: none. Per bundle, the bundle's rows (the newest per key) go in one
 * transaction of {@code INSERT … ON CONFLICT DO UPDATE}, which changes a row only when the new one counts at least as
 * many trips: an aggregate of an accumulating pane only grows, so a replayed or reordered older pane never takes a row
 * back in time, and a pane written twice leaves the same row (idempotent under the replay of a restored job). A failed
 * transaction is rolled back and tried again on a new session, {@value #ATTEMPTS} times with a growing pause (about a
 * minute in all); then the step fails, the job restarts from its last checkpoint and the rows come again. Sessions: one
 * per parallel instance of the step, opened when its first bundle starts. The login comes from the secret ARN or the
 * workers' environment ({@link ServingLogin}), never from the job's options. Metrics: counters {@code rows} and {@code
 * retries} in namespace {@value #STEP}.
 */
public final class UpsertServingRows<T> extends PTransform<PCollection<T>, PCollection<Void>> {
  public static final String STEP = "UpsertServingRows";
  static final int ATTEMPTS = 8;

  /** One table's upsert: its statement and how a row fills it. */
  interface Table<T> extends Serializable {
    String sql();

    String key(T row);

    void bind(PreparedStatement statement, T row) throws SQLException;
  }

  private final String url;
  private final @Nullable String secretArn;
  private final Table<T> table;

  private UpsertServingRows(String url, @Nullable String secretArn, Table<T> table) {
    this.url = url;
    this.secretArn = secretArn;
    this.table = table;
  }

  /** Upserts {@code user_daily} rows into the database at {@code url} ({@link ServingTarget}). */
  public static UpsertServingRows<UserDaily> userDaily(String url, @Nullable String secretArn) {
    return new UpsertServingRows<>(url, secretArn, new UserDailyTable());
  }

  /** Upserts {@code zone_daily} rows into the database at {@code url} ({@link ServingTarget}). */
  public static UpsertServingRows<ZoneDaily> zoneDaily(String url, @Nullable String secretArn) {
    return new UpsertServingRows<>(url, secretArn, new ZoneDailyTable());
  }

  @Override
  public PCollection<Void> expand(PCollection<T> rows) {
    return rows.apply("UpsertRows", ParDo.of(new UpsertFn<>(url, secretArn, table)));
  }

  private static final class UpsertFn<T> extends DoFn<T, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(UpsertServingRows.class);
    private final Counter rowsCounter = Metrics.counter(STEP, "rows");
    private final Counter retries = Metrics.counter(STEP, "retries");
    private final String url;
    private final @Nullable String secretArn;
    private final Table<T> table;
    private transient @Nullable ServingLogin login;
    private transient @Nullable Connection session;
    private transient Map<String, T> pending;

    UpsertFn(String url, @Nullable String secretArn, Table<T> table) {
      this.url = url;
      this.secretArn = secretArn;
      this.table = table;
    }

    @StartBundle
    public void start(StartBundleContext c) throws IOException {
      pending = new LinkedHashMap<>();
      if (login == null) {
        AwsOptions aws = c.getPipelineOptions().as(AwsOptions.class);
        login =
            ServingLogin.resolve(
                ServingTarget.parse(url), secretArn, aws.getAwsRegion(), aws.getAwsCredentialsProvider(),
                System.getenv());
      }
    }

    @ProcessElement
    public void process(@Element T row) {
      pending.put(table.key(row), row);
    }

    @FinishBundle
    public void finish() throws Exception {
      if (pending.isEmpty()) {
        return;
      }
      List<T> rows = new ArrayList<>(pending.values());
      pending.clear();
      for (int attempt = 1; ; attempt++) {
        try {
          upsert(rows);
          rowsCounter.inc(rows.size());
          return;
        } catch (SQLException e) {
          closeSession();
          if (attempt == ATTEMPTS) {
            throw new IOException(
                "the serving database refused a pane's rows " + ATTEMPTS + " times: " + Messages.firstLine(
                    e.getMessage(), "no detail"), e);
          }
          retries.inc();
          LOG.warn("serving upsert failed (attempt {} of {}), trying again: {}", attempt, ATTEMPTS,
              Messages.firstLine(e.getMessage(), "no detail"));
          Thread.sleep(250L << Math.min(attempt, 7));
        }
      }
    }

    private void upsert(List<T> rows) throws SQLException {
      if (session == null) {
        session = ServingSessions.open(ServingTarget.parse(url), login);
        session.setAutoCommit(false);
      }
      try (PreparedStatement statement = session.prepareStatement(table.sql())) {
        for (T row : rows) {
          table.bind(statement, row);
          statement.addBatch();
        }
        statement.executeBatch();
        session.commit();
      } catch (SQLException e) {
        try {
          session.rollback();
        } catch (SQLException ignored) {
          // The session is closed next; the server rolls back what a dead session had begun.
        }
        throw e;
      }
    }

    private void closeSession() {
      if (session != null) {
        try {
          session.close();
        } catch (SQLException ignored) {
          // Already gone.
        }
        session = null;
      }
    }

    @Teardown
    public void teardown() {
      closeSession();
    }
  }

  static OffsetDateTime micros(long micros) {
    return OffsetDateTime.ofInstant(Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1_000L)), ZoneOffset.UTC);
  }

  static Date date(String isoDate) {
    return Date.valueOf(LocalDate.parse(isoDate));
  }

  private static final class UserDailyTable implements Table<UserDaily> {
    private static final long serialVersionUID = 1L;

    @Override
    public String sql() {
      return "INSERT INTO user_daily (user_id, pickup_date, trips, distance_miles, total_cents, first_pickup_ts, "
          + "last_dropoff_ts, journeys, distinct_zones) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
          + "ON CONFLICT (user_id, pickup_date) DO UPDATE SET trips = EXCLUDED.trips, "
          + "distance_miles = EXCLUDED.distance_miles, total_cents = EXCLUDED.total_cents, "
          + "first_pickup_ts = EXCLUDED.first_pickup_ts, last_dropoff_ts = EXCLUDED.last_dropoff_ts, "
          + "journeys = EXCLUDED.journeys, distinct_zones = EXCLUDED.distinct_zones "
          + "WHERE user_daily.trips <= EXCLUDED.trips";
    }

    @Override
    public String key(UserDaily row) {
      return row.getUserId() + '|' + row.getPickupDate();
    }

    @Override
    public void bind(PreparedStatement s, UserDaily r) throws SQLException {
      s.setString(1, r.getUserId());
      s.setDate(2, date(r.getPickupDate()));
      s.setLong(3, r.getTrips());
      s.setDouble(4, r.getDistanceMiles());
      s.setLong(5, r.getTotalCents());
      s.setObject(6, micros(r.getFirstPickupMicros()));
      s.setObject(7, micros(r.getLastDropoffMicros()));
      s.setLong(8, r.getJourneys());
      s.setLong(9, r.getDistinctZones());
    }
  }

  private static final class ZoneDailyTable implements Table<ZoneDaily> {
    private static final long serialVersionUID = 1L;

    @Override
    public String sql() {
      return "INSERT INTO zone_daily (pickup_date, pu_zone_id, borough, zone, trips, passengers, distance_miles, "
          + "fare_cents, tip_cents, total_cents, avg_duration_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          + "ON CONFLICT (pickup_date, pu_zone_id) DO UPDATE SET borough = EXCLUDED.borough, zone = EXCLUDED.zone, "
          + "trips = EXCLUDED.trips, passengers = EXCLUDED.passengers, distance_miles = EXCLUDED.distance_miles, "
          + "fare_cents = EXCLUDED.fare_cents, tip_cents = EXCLUDED.tip_cents, total_cents = EXCLUDED.total_cents, "
          + "avg_duration_s = EXCLUDED.avg_duration_s WHERE zone_daily.trips <= EXCLUDED.trips";
    }

    @Override
    public String key(ZoneDaily row) {
      return row.getPickupDate() + '|' + row.getPuZoneId();
    }

    @Override
    public void bind(PreparedStatement s, ZoneDaily r) throws SQLException {
      s.setDate(1, date(r.getPickupDate()));
      s.setInt(2, r.getPuZoneId());
      s.setString(3, r.getBorough());
      s.setString(4, r.getZone());
      s.setLong(5, r.getTrips());
      s.setLong(6, r.getPassengers());
      s.setDouble(7, r.getDistanceMiles());
      s.setLong(8, r.getFareCents());
      s.setLong(9, r.getTipCents());
      s.setLong(10, r.getTotalCents());
      s.setDouble(11, r.getAvgDurationS());
    }
  }
}
