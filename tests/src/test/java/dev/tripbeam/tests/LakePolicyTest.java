package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.fixtures.RealFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/**
 * The lake's IAM policy (emr-bootstrap/iam-policy-lake.json) is valid JSON, grants exactly the calls the job makes
 * (S3 list, read, write, delete, copy via read+write, multipart; KMS data keys through S3; the serving database's
 * login from its one Secrets Manager secret, decrypted through Secrets Manager only) and nothing wider.
 */
class LakePolicyTest {
  /**
   * The actions an IAM policy allows, after checking that it only allows, names every action without a wildcard, and
   * scopes every resource (a bare {@code *} only under a condition). {@code Action} and {@code Resource} may each be a
   * string or an array of strings, as IAM accepts both; {@code NotAction} and {@code NotResource} are refused (they
   * allow everything they do not name).
   */
  static Set<String> allowedActions(JsonNode policy) {
    assertEquals("2012-10-17", policy.path("Version").asText(), "the policy language version");
    JsonNode statements = policy.path("Statement");
    assertFalse(statements.isMissingNode(), "a Statement: " + policy);
    Set<String> actions = new HashSet<>();
    for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
      assertEquals("Allow", statement.path("Effect").asText(), statement.toString());
      assertFalse(statement.has("NotAction") || statement.has("NotResource"), "NotAction/NotResource: " + statement);
      List<String> named = strings(statement, "Action");
      assertFalse(named.isEmpty(), "names its actions: " + statement);
      for (String action : named) {
        assertFalse(action.contains("*"), "no wildcard action: " + action);
        actions.add(action);
      }
      List<String> resources = strings(statement, "Resource");
      assertFalse(resources.isEmpty(), "names its resources: " + statement);
      for (String resource : resources) {
        boolean bare = resource.equals("*") && !statement.has("Condition");
        assertFalse(bare || resource.endsWith(":::*"), "scoped: " + statement);
      }
    }
    return actions;
  }

  /** A statement's element as IAM reads it: one string, or an array of strings. */
  static List<String> strings(JsonNode statement, String element) {
    JsonNode value = statement.path(element);
    if (value.isTextual()) {
      return List.of(value.asText());
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : value) {
      assertTrue(v.isTextual(), element + " holds strings: " + statement);
      out.add(v.asText());
    }
    return out;
  }

  @ParameterizedTest(name = "refused: {0}")
  @ValueSource(
      strings = {
        "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::lake/*\"}",
        "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}",
        "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::*\"}",
        "{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"arn:aws:s3:::lake/*\"}",
        "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"NotResource\":\"arn:aws:s3:::other/*\"}",
        "{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::lake/*\"}"
      })
  void wideStatementsAreRefusedInEitherShape(String statement) throws Exception {
    JsonNode policy = new ObjectMapper().readTree("{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}");
    assertThrows(AssertionFailedError.class, () -> allowedActions(policy));
  }

  @Test
  void aStatementMayNameOneActionAndResourceAsStrings() throws Exception {
    JsonNode policy =
        new ObjectMapper()
            .readTree(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                    + "\"Resource\":\"arn:aws:s3:::lake/raw/*\"}}");
    assertEquals(Set.of("s3:GetObject"), allowedActions(policy));
  }

  @Test
  void policyGrantsWhatTheJobCallsAndNothingWider() throws Exception {
    Path file = RealFiles.DIR.resolve("../../../emr-bootstrap/iam-policy-lake.json").normalize();
    JsonNode policy = new ObjectMapper().readTree(file.toFile());
    Set<String> actions = allowedActions(policy);
    assertFalse(policy.toString().contains("\"*\""), "every resource named");
    assertEquals(
        Set.of(
            "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
            "s3:ListMultipartUploadParts", "kms:GenerateDataKey", "kms:Decrypt", "secretsmanager:GetSecretValue",
            "glue:GetDatabase", "glue:CreateDatabase", "glue:GetTable", "glue:CreateTable", "glue:UpdateTable"),
        actions);
    assertTrue(policy.toString().contains("kms:ViaService"), "the key is usable through S3 only");
    for (JsonNode statement : policy.get("Statement")) {
      if (statement.get("Action").toString().contains("secretsmanager:")) {
        List<String> resources = strings(statement, "Resource");
        assertEquals(1, resources.size(), statement.toString());
        assertTrue(resources.get(0).contains(":secret:SERVING_SECRET_NAME-"), statement.toString());
      }
      if (statement.get("Action").toString().contains("glue:")) {
        for (String resource : strings(statement, "Resource")) {
          assertTrue(resource.endsWith(":catalog") || resource.contains("GLUE_DATABASE"), "one database: " + resource);
        }
      }
      if (statement.get("Resource").toString().contains("SECRETS_KEY_ID")) {
        assertEquals(
            "secretsmanager.REGION.amazonaws.com",
            statement.path("Condition").path("StringEquals").path("kms:ViaService").asText(),
            "the secrets' key is usable through Secrets Manager only");
      }
    }
  }
}
