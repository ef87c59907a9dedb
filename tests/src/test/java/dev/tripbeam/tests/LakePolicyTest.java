package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The lake's IAM policy (emr-bootstrap/iam-policy-lake.json) is valid JSON, grants exactly the calls the job makes
 * (S3 list, read, write, delete, copy via read+write, multipart; KMS data keys through S3; the serving database's
 * login from its one Secrets Manager secret, decrypted through Secrets Manager only) and nothing wider.
 */
class LakePolicyTest {
  /**
   * The actions an IAM policy allows, after checking that it only allows, names every action without a wildcard, and
   * scopes every resource (a bare {@code *} only under a condition).
   */
  static Set<String> allowedActions(JsonNode policy) {
    assertEquals("2012-10-17", policy.get("Version").asText());
    Set<String> actions = new HashSet<>();
    for (JsonNode statement : policy.get("Statement")) {
      assertEquals("Allow", statement.get("Effect").asText());
      for (JsonNode action : statement.get("Action")) {
        assertFalse(action.asText().contains("*"), "no wildcard action: " + action);
        actions.add(action.asText());
      }
      for (JsonNode resource : statement.get("Resource")) {
        boolean bare = resource.asText().equals("*") && !statement.has("Condition");
        assertFalse(bare || resource.asText().endsWith(":::*"), "scoped: " + statement);
      }
    }
    return actions;
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
            "s3:ListMultipartUploadParts", "kms:GenerateDataKey", "kms:Decrypt", "secretsmanager:GetSecretValue"),
        actions);
    assertTrue(policy.toString().contains("kms:ViaService"), "the key is usable through S3 only");
    for (JsonNode statement : policy.get("Statement")) {
      if (statement.get("Action").toString().contains("secretsmanager:")) {
        assertEquals(1, statement.get("Resource").size());
        assertTrue(statement.get("Resource").get(0).asText().contains(":secret:SERVING_SECRET_NAME-"), statement.toString());
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
