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
 * (S3 list, read, write, delete, copy via read+write, multipart; KMS data keys through S3) and nothing wider.
 */
class LakePolicyTest {
  @Test
  void policyGrantsWhatTheJobCallsAndNothingWider() throws Exception {
    Path file = RealFiles.DIR.resolve("../../../emr-bootstrap/iam-policy-lake.json").normalize();
    JsonNode policy = new ObjectMapper().readTree(file.toFile());
    assertEquals("2012-10-17", policy.get("Version").asText());
    Set<String> actions = new HashSet<>();
    for (JsonNode statement : policy.get("Statement")) {
      assertEquals("Allow", statement.get("Effect").asText());
      for (JsonNode action : statement.get("Action")) {
        assertFalse(action.asText().contains("*"), "no wildcard action: " + action);
        actions.add(action.asText());
      }
      for (JsonNode resource : statement.get("Resource")) {
        assertFalse(resource.asText().equals("*") || resource.asText().endsWith(":::*"), "scoped: " + resource);
      }
    }
    assertEquals(
        Set.of(
            "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
            "s3:ListMultipartUploadParts", "kms:GenerateDataKey", "kms:Decrypt"),
        actions);
    assertTrue(policy.toString().contains("kms:ViaService"), "the key is usable through S3 only");
  }
}
