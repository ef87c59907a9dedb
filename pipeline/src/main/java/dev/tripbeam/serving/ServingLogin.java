package dev.tripbeam.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.io.Messages;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * The login of the serving database, never taken from an option value: from AWS Secrets Manager when a secret ARN is
 * given (the JSON RDS keeps, with {@code username} and {@code password}), else from the environment as libpq reads it:
 * {@code PGUSER} and {@code PGPASSWORD}, or the password file {@code PGPASSFILE} (default {@code ~/.pgpass}, lines
 * {@code host:port:database:user:password} with {@code *} wildcards). {@link #toString()} never shows the password.
 */
public final class ServingLogin {
  private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String user;
  private final String password;
  private final String source;

  ServingLogin(String user, String password, String source) {
    this.user = user;
    this.password = password;
    this.source = source;
  }

  public String user() {
    return user;
  }

  String password() {
    return password;
  }

  /** Where the login came from, for messages: never the password. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "login of " + user + " from " + source;
  }

  /** Whether {@code arn} is a Secrets Manager secret ARN. */
  public static boolean isSecretArn(String arn) {
    return ARN.matcher(arn).matches();
  }

  /**
   * The login for {@code target}: from the secret {@code secretArn} when given, else from {@code env}.
   *
   * @throws IOException with a message for the user when no login is found (naming where it looked, no value)
   */
  public static ServingLogin resolve(
      ServingTarget target,
      String secretArn,
      Region region,
      AwsCredentialsProvider credentials,
      Map<String, String> env)
      throws IOException {
    if (secretArn != null && !secretArn.isBlank()) {
      SecretsManagerClientBuilder builder = SecretsManagerClient.builder();
      if (region != null) {
        builder.region(region);
      }
      if (credentials != null) {
        builder.credentialsProvider(credentials);
      }
      return fromSecret(builder, secretArn);
    }
    String user = env.getOrDefault("PGUSER", System.getProperty("user.name"));
    String password = env.get("PGPASSWORD");
    if (password != null) {
      return new ServingLogin(user, password, "PGPASSWORD");
    }
    Path file =
        env.containsKey("PGPASSFILE")
            ? Path.of(env.get("PGPASSFILE"))
            : Path.of(System.getProperty("user.home"), ".pgpass");
    if (Files.isReadable(file)) {
      String found = passwordFileEntry(Files.readAllLines(file), target, user);
      if (found != null) {
        return new ServingLogin(user, found, "the password file " + file);
      }
    }
    throw new IOException(
        "no login for the serving database: set PGUSER and PGPASSWORD, or a password file (PGPASSFILE, default "
            + "~/.pgpass) with a line for " + target.host() + ":" + target.port() + ":" + target.database() + ":"
            + user + ", or give --servingSecretArn");
  }

  /** Reads the secret through {@code builder} (region, credentials and endpoint set by the caller). */
  static ServingLogin fromSecret(SecretsManagerClientBuilder builder, String secretArn) throws IOException {
    if (!isSecretArn(secretArn)) {
      throw new IOException("--servingSecretArn is not a Secrets Manager secret ARN");
    }
    String secret;
    try (SecretsManagerClient client = builder.build()) {
      secret = client.getSecretValue(GetSecretValueRequest.builder().secretId(secretArn).build()).secretString();
    } catch (RuntimeException e) {
      throw new IOException("cannot read the serving secret " + secretArn + ": " + Messages.firstLine(e.getMessage(), "no detail"));
    }
    JsonNode json;
    try {
      json = secret == null ? null : JSON.readTree(secret);
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.path("username").isTextual() || !json.path("password").isTextual()) {
      throw new IOException(
          "the serving secret " + secretArn + " is not the JSON RDS keeps (a string with username and password)");
    }
    return new ServingLogin(json.get("username").asText(), json.get("password").asText(), "secret " + secretArn);
  }

  /** Builds a client for a given endpoint (tests, VPC endpoints without private DNS). */
  static SecretsManagerClientBuilder clientFor(URI endpoint, Region region, AwsCredentialsProvider credentials) {
    return SecretsManagerClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials);
  }

  /** The password of the first matching line of a libpq password file, or null. */
  static String passwordFileEntry(List<String> lines, ServingTarget target, String user) {
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = splitPassLine(line);
      if (fields.size() != 5) {
        continue;
      }
      if (matches(fields.get(0), target.host())
          && matches(fields.get(1), Integer.toString(target.port()))
          && matches(fields.get(2), target.database())
          && matches(fields.get(3), user)) {
        return fields.get(4);
      }
    }
    return null;
  }

  private static boolean matches(String pattern, String value) {
    return pattern.equals("*") || pattern.equals(value);
  }

  private static List<String> splitPassLine(String line) {
    List<String> fields = new java.util.ArrayList<>();
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        field.append(line.charAt(++i));
      } else if (c == ':' && fields.size() < 4) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
