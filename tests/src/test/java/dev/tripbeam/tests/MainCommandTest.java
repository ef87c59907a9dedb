package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.fixtures.CommandProbe;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.io.InputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main command as a user meets it (a forked Flink-profile JVM): help, and clear errors without stack traces; the
 * answers given before any run starts come from one JVM ({@link CommandProbe}).
 */
class MainCommandTest {
  private static final String SECRET = "wJalrXUtnFEMI-not-a-real-secret";
  @TempDir Path tmp;

  private static void assertNoStackTrace(ForkedRun run) {
    assertNoStackTrace(run.stdout, run.stderr);
  }

  private static void assertNoStackTrace(String stdout, String stderr) {
    assertFalse(stderr.contains("\tat "), stderr);
    assertFalse(stdout.contains("\tat "), stdout);
  }

  @Test
  void helpStartsWithUsageAndListsTripbeamsOptionsBeforeTheRunnersWithTheProfilesDefault() throws Exception {
    ForkedRun run =
        ForkedRun.run("flink", tmp.resolve("help"), List.of("-Dtripbeam.defaultRunner=FlinkRunner"), "--help");
    assertEquals(0, run.exitCode, run::toString);
    String help = run.stdout;
    assertTrue(help.startsWith("usage: tripbeam "), help);
    int runnerSection = help.indexOf("\nRunner:\n");
    assertTrue(runnerSection > 0, help);
    for (String option : new String[] {"--input", "--inputFormat", "--zones", "--output", "--runId", "--incremental",
          "--s3PathStyleAccess", "--awsProfile", "--sseKmsKeyId", "--endpoint", "--awsRegion", "--verbose"}) {
      int at = help.indexOf("  " + option + "\n");
      assertTrue(at > 0 && at < runnerSection, option + " listed before the runner's options in\n" + help);
    }
    String formatsLine =
        help.lines().filter(l -> l.startsWith("Input formats (--inputFormat): ")).findFirst().orElseThrow();
    List<String> listed =
        List.of(formatsLine.substring(formatsLine.indexOf(": ") + 2).replaceAll("\\.$", "").split(", "));
    List<String> accepted = new ArrayList<>();
    for (InputFormat format : InputFormat.values()) {
      accepted.add(format.name().toLowerCase(Locale.ROOT));
    }
    assertEquals(accepted, listed, "every format the parser accepts, and only those");
    String inputFormatHelp = help.substring(help.indexOf("  --inputFormat\n"), help.indexOf("  --output\n"));
    for (String name : accepted) {
      assertTrue(inputFormatHelp.contains(name), name + " in --inputFormat's description: " + inputFormatHelp);
    }
    for (String where : new String[] {"glob", "folder", "S3 prefix"}) {
      assertTrue(help.contains(where), "--input takes a " + where + ": " + help);
    }
    assertTrue(help.contains("default: FlinkRunner (the build's profile)"), help);
    assertFalse(help.contains("DirectRunner (the build"), help);
  }

  /** The usage errors the option checks give, all in one JVM ({@link CommandProbe}). */
  @Test
  void missingOutputAndUnknownFormatAreUsageErrors() throws Exception {
    List<CommandProbe.Answer> answers =
        CommandProbe.run(
            "flink",
            tmp.resolve("probe"),
            List.of(),
            List.of(
                List.of("--input=" + RealFiles.YELLOW_CSV),
                List.of("--input=" + RealFiles.YELLOW_CSV, "--output=" + tmp.resolve("o"), "--inputFormat=xlsx")));
    CommandProbe.Answer missingOutput = answers.get(0);
    assertEquals(2, missingOutput.exitCode(), missingOutput::toString);
    assertTrue(missingOutput.stderr().contains("--output is required"), missingOutput::toString);
    assertNoStackTrace(missingOutput.stdout(), missingOutput.stderr());
    CommandProbe.Answer unknownFormat = answers.get(1);
    assertEquals(2, unknownFormat.exitCode(), unknownFormat::toString);
    assertTrue(
        unknownFormat.stderr().contains("--inputFormat must be one of auto, csv, parquet, json, app"),
        unknownFormat::toString);
    assertNoStackTrace(unknownFormat.stdout(), unknownFormat.stderr());
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

  private Path output(String[] shape) {
    return tmp.resolve("o" + shape[0].length());
  }

  @Test
  void credentialsInAnyShapeAreRefusedWithoutEchoingThem() throws Exception {
    String[][] shapes = {
      // well-formed JSON of a static provider
      {"--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"AKIAEXAMPLE\","
          + "\"secretAccessKey\":\"" + SECRET + "\"}"},
      // the same after a shell stripped the quotes (malformed JSON)
      {"--awsCredentialsProvider={@type:StaticCredentialsProvider,accessKeyId:AKIAX,secretAccessKey:" + SECRET + "}"},
      // an unknown provider type
      {"--awsCredentialsProvider={\"@type\":\"NoSuchProvider\",\"key\":\"" + SECRET + "\"}"},
      // '=' inside the value
      {"--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"A=B\","
          + "\"secretAccessKey\":\"" + SECRET + "==\"}"},
      // the value as a separate argument
      {"--awsCredentialsProvider", "{\"secretAccessKey\":\"" + SECRET + "\"}"},
      // a misspelt option name and a made-up one
      {"--awsCredentialProvider=" + SECRET},
      {"--secretAccessKey=" + SECRET},
      // a bare secret where an option belongs
      {SECRET},
      // a credential inside another option's value
      {"--runId={\"secretAccessKey\":\"" + SECRET + "\"}"},
    };
    List<List<String>> cases = new ArrayList<>();
    for (String[] shape : shapes) {
      List<String> args = new ArrayList<>(List.of("--input=" + RealFiles.YELLOW_CSV, "--output=" + output(shape)));
      args.addAll(List.of(shape));
      cases.add(args);
    }
    List<CommandProbe.Answer> answers =
        CommandProbe.run("flink", tmp.resolve("probe"), List.of("-Dtripbeam.logDir=" + tmp.resolve("logs")), cases);
    for (int i = 0; i < shapes.length; i++) {
      CommandProbe.Answer run = answers.get(i);
      String what =
          String.join(" ", shapes[i]).replace(SECRET, "<secret>") + ": " + run.toString().replace(SECRET, "<!>");
      assertEquals(2, run.exitCode(), what);
      assertFalse(run.stdout().contains(SECRET) || run.stderr().contains(SECRET), "the secret is printed: " + what);
      assertTrue(run.stderr().startsWith("tripbeam: "), what);
      assertNoStackTrace(run.stdout(), run.stderr());
      assertFalse(Files.exists(output(shapes[i])), "nothing is written: " + what);
    }
    try (Stream<Path> files = Files.walk(tmp)) {
      // Every file the runs left (their output, logs and streams), but the probe's list of cases, which holds the secret.
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.endsWith("cases.jsonl")).toList()) {
        assertFalse(Files.readString(f).contains(SECRET), "the secret is in " + f);
      }
    }
  }
}
