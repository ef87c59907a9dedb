package dev.tripbeam.serving;

import dev.tripbeam.io.Messages;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The serving database's schema: the versioned migrations under {@code db/serving} on the classpath, applied by Flyway
 * (history in {@code flyway_schema_history}; Flyway locks it, so two loads never migrate at once). A database whose
 * history holds a migration this tripbeam does not know is refused, not changed.
 */
public final class ServingSchema {
  static final String LOCATION = "classpath:db/serving";

  private ServingSchema() {}

  /**
   * Applies the pending migrations.
   *
   * @return how many were applied
   */
  public static int migrate(ServingTarget target, ServingLogin login) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(target.url());
    source.setUser(login.user());
    source.setPassword(login.password());
    source.setApplicationName(ServingSessions.APPLICATION_NAME);
    source.setConnectTimeout(10);
    try {
      return Flyway.configure()
          .dataSource(source)
          .locations(LOCATION)
          .connectRetries(0)
          .load()
          .migrate()
          .migrationsExecuted;
    } catch (FlywayException e) {
      throw new IllegalStateException(
          "cannot migrate the serving schema: " + Messages.firstLine(e.getMessage(), "no detail"), e);
    }
  }
}
