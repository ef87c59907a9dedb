package dev.tripbeam.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where the serving login comes from: PGUSER/PGPASSWORD, a libpq password file (first matching line, wildcards,
 * escaped colons), or a Secrets Manager secret read by the AWS SDK (a signed GetSecretValue call, answered here by an
 * HTTP server on 127.0.0.1 standing in for the service, since no AWS endpoint is reachable from the tests); the
 * password is never in a message; a malformed URL or a URL with a login is refused.
 */
class ServingLoginTest {
  private static final ServingTarget TARGET = ServingTarget.parse("jdbc:postgresql://db.internal:6432/trips");
  private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tripbeam/serving-AbCdEf";
  @TempDir Path tmp;

  @Test
  void environmentPasswordWins() throws Exception {
    ServingLogin login =
        ServingLogin.resolve(TARGET, null, null, null, Map.of("PGUSER", "loader", "PGPASSWORD", "s3cr3t"));
    assertEquals("loader", login.user());
    assertEquals("s3cr3t", login.password());
    assertFalse(login.toString().contains("s3cr3t"));
  }

  @Test
  void passwordFileLinesMatchHostPortDatabaseAndUser() throws Exception {
    List<String> lines =
        List.of(
            "# comment",
            "other.host:6432:trips:loader:wrong-host",
            "db.internal:5432:trips:loader:wrong-port",
            "db.internal:6432:*:someone:wrong-user",
            "db.internal:*:trips:loader:pa\\:ss\\\\word",
            "*:*:*:*:catch-all");
    assertEquals("pa:ss\\word", ServingLogin.passwordFileEntry(lines, TARGET, "loader"));
    assertEquals("catch-all", ServingLogin.passwordFileEntry(lines, TARGET, "else"));
    assertNull(ServingLogin.passwordFileEntry(List.of("db.internal:6432:trips:x:y"), TARGET, "loader"));
    Path file = Files.writeString(tmp.resolve("pgpass"), String.join("\n", lines) + "\n");
    ServingLogin login = ServingLogin.resolve(TARGET, null, null, null, Map.of("PGUSER", "loader", "PGPASSFILE", file.toString()));
    assertEquals("pa:ss\\word", login.password());
    assertTrue(login.source().contains(file.toString()));
  }

  @Test
  void noLoginIsAClearErrorNamingWhereItLooked() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                ServingLogin.resolve(
                    TARGET, null, null, null, Map.of("PGUSER", "loader", "PGPASSFILE", tmp.resolve("none").toString())));
    assertTrue(e.getMessage().contains("PGPASSWORD") && e.getMessage().contains("db.internal:6432:trips:loader"));
  }

  @Test
  void secretIsReadWithASignedGetSecretValueCall() throws Exception {
    AtomicReference<String> target = new AtomicReference<>();
    AtomicReference<String> authorization = new AtomicReference<>();
    AtomicReference<String> body = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          target.set(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
          authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
          body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          String secret = "{\\\"username\\\":\\\"svc_loader\\\",\\\"password\\\":\\\"p@ss:w0rd\\\",\\\"engine\\\":\\\"postgres\\\"}";
          byte[] answer =
              ("{\"ARN\":\"" + ARN + "\",\"Name\":\"tripbeam/serving\",\"SecretString\":\"" + secret
                      + "\",\"VersionId\":\"v1\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    try {
      ServingLogin login =
          ServingLogin.fromSecret(
              ServingLogin.clientFor(
                  URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                  Region.EU_WEST_1,
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTRIPBEAMTEST", "not-a-key"))),
              ARN);
      assertEquals("svc_loader", login.user());
      assertEquals("p@ss:w0rd", login.password());
      assertEquals("secretsmanager.GetSecretValue", target.get());
      assertTrue(authorization.get().startsWith("AWS4-HMAC-SHA256 Credential=AKIDTRIPBEAMTEST/"), authorization.get());
      assertTrue(authorization.get().contains("/eu-west-1/secretsmanager/aws4_request"), authorization.get());
      assertTrue(body.get().contains("\"SecretId\":\"" + ARN + "\""), body.get());
      assertFalse(login.toString().contains("p@ss"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aSecretThatIsNotRdsJsonOrNotAnArnIsRefused() {
    assertFalse(ServingLogin.isSecretArn("tripbeam/serving"));
    assertTrue(ServingLogin.isSecretArn(ARN));
    IOException e =
        assertThrows(
            IOException.class,
            () -> ServingLogin.fromSecret(software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder(), "tripbeam/serving"));
    assertTrue(e.getMessage().contains("not a Secrets Manager secret ARN"));
  }

  @Test
  void urlsWithALoginOrOfAnotherShapeAreRefused() {
    assertEquals(6432, TARGET.port());
    assertEquals("postgresql://db.internal:6432/trips", TARGET.shown());
    assertEquals(5432, ServingTarget.parse("jdbc:postgresql://h/db?sslmode=verify-full").port());
    for (String bad :
        List.of(
            "jdbc:postgresql://h/db?user=x", "jdbc:postgresql://h/db?sslmode=require&password=x",
            "jdbc:mysql://h/db", "postgresql://h/db", "jdbc:postgresql://h")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServingTarget.parse(bad));
      assertFalse(e.getMessage().contains("password=x"), e.getMessage());
    }
  }
}
