package dev.tripbeam.serving;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serving database a run loads, from {@code --servingJdbcUrl=jdbc:postgresql://HOST[:PORT]/DATABASE[?PARAMS]}.
 * The URL may carry connection parameters ({@code sslmode=verify-full}, timeouts) but no login: {@code user} and
 * {@code password} parameters are refused ({@link ServingLogin} supplies the login).
 */
public record ServingTarget(String url, String host, int port, String database) {
  private static final Pattern URL =
      Pattern.compile(
          "jdbc:postgresql://([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+\\])(?::(\\d{1,5}))?/([A-Za-z0-9_.-]+)(\\?.*)?");

  /**
   * Parses a URL.
   *
   * @throws IllegalArgumentException with a one-line message for the user
   */
  public static ServingTarget parse(String url) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--servingJdbcUrl must look like jdbc:postgresql://HOST:PORT/DATABASE (got '" + shown(url) + "')");
    }
    String params = m.group(4) == null ? "" : m.group(4).substring(1);
    for (String param : params.split("&")) {
      String name = param.contains("=") ? param.substring(0, param.indexOf('=')) : param;
      if (name.equalsIgnoreCase("user") || name.equalsIgnoreCase("password")) {
        throw new IllegalArgumentException(
            "--servingJdbcUrl carries a login (" + name + "=); the login comes from PGUSER/PGPASSWORD, a password "
                + "file or --servingSecretArn");
      }
    }
    int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
    return new ServingTarget(url, m.group(1), port, m.group(3));
  }

  /** The URL without its parameters, for messages. */
  public String shown() {
    return "postgresql://" + host + ":" + port + "/" + database;
  }

  private static String shown(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?…";
  }
}
