package dev.tripbeam.serving;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The serving database's sessions: every one as the login's role, named {@value #APPLICATION_NAME} in {@code
 * pg_stat_activity}, with a 10 s connect timeout and TCP keep-alive.
 */
final class ServingSessions {
  /** The application name of tripbeam's sessions. */
  static final String APPLICATION_NAME = "tripbeam";

  private ServingSessions() {}

  private static final String TOO_MANY_CONNECTIONS = "53300";
  private static final int CONNECT_ATTEMPTS = 6;
  private static final long CONNECT_RETRY_MILLIS = 20;

  /**
   * A session as the login's role. A role at its {@code CONNECTION LIMIT} refuses a session for a moment after one of
   * its sessions closed (the server counts a backend until it has exited), so a refusal for too many connections
   * ({@value #TOO_MANY_CONNECTIONS}) is tried again for 100 ms: long enough for a closed backend to exit, too short for
   * a session in use to end, so a load that wants one session more than the role allows still fails.
   */
  static Connection open(ServingTarget target, ServingLogin login) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", login.user());
    p.setProperty("password", login.password());
    p.setProperty("ApplicationName", APPLICATION_NAME);
    p.setProperty("connectTimeout", "10");
    p.setProperty("tcpKeepAlive", "true");
    for (int attempt = 1; ; attempt++) {
      try {
        return DriverManager.getConnection(target.url(), p);
      } catch (SQLException e) {
        if (!TOO_MANY_CONNECTIONS.equals(e.getSQLState()) || attempt == CONNECT_ATTEMPTS) {
          throw e;
        }
        try {
          Thread.sleep(CONNECT_RETRY_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
