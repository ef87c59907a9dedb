package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main command as a user meets it (a forked Flink-profile JVM): help, and clear errors without stack traces. */
class MainCommandTest {
  @TempDir Path tmp;

  private static void assertNoStackTrace(ForkedRun run) {
    assertFalse(run.stderr.contains("\tat "), run::toString);
    assertFalse(run.stdout.contains("\tat "), run::toString);
  }

  @Test
  void helpListsTheOptions() throws Exception {
    ForkedRun run = ForkedRun.main("flink", tmp.resolve("help"), "--help");
    assertEquals(0, run.exitCode, run::toString);
    for (String option : new String[] {"--input", "--inputFormat", "--zones", "--output", "--runId", "--incremental", "--s3PathStyleAccess",
          "--awsProfile", "--sseKmsKeyId", "--endpoint", "--awsRegion"}) {
      assertTrue(run.stdout.contains(option), option + " in\n" + run.stdout);
    }
  }

  @Test
  void missingOutputIsAUsageError() throws Exception {
    ForkedRun run = ForkedRun.main("flink", tmp.resolve("x"), "--input=" + RealFiles.YELLOW_CSV);
    assertEquals(2, run.exitCode, run::toString);
    assertTrue(run.stderr.contains("--output is required"), run::toString);
    assertNoStackTrace(run);
  }

  @Test
  void unknownInputFormatIsAUsageError() throws Exception {
    ForkedRun run =
        ForkedRun.main("flink", tmp.resolve("x"), "--input=" + RealFiles.YELLOW_CSV, "--output=" + tmp.resolve("o"),
            "--inputFormat=xlsx");
    assertEquals(2, run.exitCode, run::toString);
    assertTrue(run.stderr.contains("--inputFormat must be one of auto, csv, parquet"), run::toString);
    assertNoStackTrace(run);
  }

  @Test
  void inputMatchingNothingIsAClearError() throws Exception {
    ForkedRun run =
        ForkedRun.main("flink", tmp.resolve("x"), "--input=" + tmp.resolve("nothing/*.csv"),
            "--output=" + tmp.resolve("o"));
    assertEquals(1, run.exitCode, run::toString);
    assertTrue(run.stderr.contains("no input file matches"), run::toString);
    assertNoStackTrace(run);
  }

  @Test
  void credentialsOnTheCommandLineAreRefusedWithoutEchoingThem() throws Exception {
    String secret = "wJalrXUtnFEMI-not-a-real-secret";
    ForkedRun run =
        ForkedRun.main(
            "flink",
            tmp.resolve("x"),
            "--input=" + RealFiles.YELLOW_CSV,
            "--output=" + tmp.resolve("o"),
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"AKIAEXAMPLE\","
                + "\"secretAccessKey\":\"" + secret + "\"}");
    assertEquals(2, run.exitCode, run::toString);
    assertTrue(run.stderr.contains("credentials come only from the AWS provider chain or --awsProfile"), run::toString);
    assertFalse(run.stdout.contains(secret) || run.stderr.contains(secret), "the secret is never printed");
    assertFalse(Files.exists(tmp.resolve("o")), "nothing is written");
    assertNoStackTrace(run);
  }
}
