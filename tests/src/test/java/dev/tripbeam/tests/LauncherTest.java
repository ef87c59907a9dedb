package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.RealFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/tripbeam}, the launcher for daily use, on the Flink profile the build made: tripbeam's one-line error and
 * exit code 2 for bad options, 1 for a failed run, no Maven output; a run shows only tripbeam's own lines (what it
 * runs, progress lines from Flink's REST API, the summary) while the engines' logs go to the file the summary names;
 * {@code --verbose} puts the engines' lines back on the console.
 */
class LauncherTest {
  private static final Path LAUNCHER = EmrBootstrapTest.ROOT.resolve("bin/tripbeam");
  @TempDir Path tmp;

  private ForkedRun launch(String name, String... args) throws Exception {
    return launchIn(null, name, args);
  }

  /** Runs the launcher in {@code directory} (null: the tests' own). */
  private ForkedRun launchIn(Path directory, String name, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    if (directory != null) {
      pb.directory(directory.toFile());
    }
    pb.environment().put("TRIPBEAM_RUNNER", "flink");
    pb.environment().put("TRIPBEAM_LOG_DIR", tmp.resolve("logs").toString());
    pb.environment().put("TRIPBEAM_JAVA_OPTS", "-Dtripbeam.progressSeconds=2");
    return ForkedRun.command(pb, tmp.resolve(name));
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  /** tripbeam's lines other than its progress ticks ("tripbeam: 0:02 listing the inputs"), which a slow machine adds. */
  private static List<String> withoutProgress(String text) {
    return lines(text).stream().filter(l -> !l.matches("tripbeam: \\d+:\\d\\d .*")).toList();
  }

  @Test
  void badOptionsGiveOneLineAndExitCode2WithoutMavenOutput() throws Exception {
    ForkedRun run = launch("bad", "--inputFormat=xml");
    assertEquals(2, run.exitCode, run::toString);
    assertEquals(
        List.of(
            "tripbeam: --inputFormat must be one of auto, csv, parquet, json, app (got 'xml')",
            "tripbeam: see --help for the options"),
        withoutProgress(run.stderr),
        run::toString);
    assertEquals("", run.stdout);
  }

  @Test
  void aFailedRunGivesExitCode1() throws Exception {
    ForkedRun run = launch("failed", "--input=" + tmp.resolve("none/*.csv"), "--output=" + tmp.resolve("o"));
    assertEquals(1, run.exitCode, run::toString);
    assertEquals(
        List.of("tripbeam: no input file matches " + tmp.resolve("none/*.csv")), withoutProgress(run.stderr));
    assertFalse(run.stdout.contains("[ERROR]") || run.stderr.contains("[ERROR]"), run::toString);
  }

  /** Also: an --output relative to the working directory is the lake there (publication once put it elsewhere). */
  @Test
  void aRunShowsOnlyTripbeamsLinesAndLogsTheEnginesToAFile() throws Exception {
    Path slice = RealFiles.yellowSlice(tmp);
    Path out = tmp.resolve("quiet");
    ForkedRun run = launchIn(tmp, "quiet", "--input=" + slice + "," + RealFiles.APP_JSONL, "--output=quiet");
    assertEquals(0, run.exitCode, run::toString);
    try (var files = Files.walk(out)) {
      List<String> published =
          files.filter(f -> f.toString().endsWith(".parquet")).map(f -> out.relativize(f).toString()).toList();
      assertTrue(published.stream().anyMatch(f -> f.startsWith("aggregated/user_daily/pickup_date=")), published.toString());
      assertTrue(
          published.stream().allMatch(f -> f.matches("(processed/trips|aggregated/\\w+)/pickup_date=[-\\d]+/[^/]+|rejected/[^/]+|_ledger/raw_files/data/[^/]+")),
          "every file in its zone (or the ledger's): " + published);
    }
    for (String line : lines(run.stderr)) {
      assertTrue(line.startsWith("tripbeam"), "only tripbeam's lines on the console: " + line + "\n" + run);
    }
    // Progress lines ("tripbeam: 0:02 listing the inputs") may come first on a busy machine; the first other line
    // names the run and what it reads.
    String first = withoutProgress(run.stderr).stream().findFirst().orElse("");
    assertTrue(
        first.startsWith("tripbeam run ") && first.contains("(csv 1, json 1)"), "the run says what it reads: " + run);
    assertTrue(
        run.stderr.lines().anyMatch(l -> l.matches("tripbeam: 0:\\d\\d Flink job \\w+: [\\d,]+ records passed.*")),
        "Flink's own progress, every 2 s here: " + run);
    assertTrue(run.stdout.contains("reconciled  yes"), run::toString);
    String logLine = run.stdout.lines().filter(l -> l.startsWith("  engine log  ")).findFirst().orElseThrow();
    Path log = Path.of(logLine.substring("  engine log  ".length()));
    assertTrue(log.startsWith(tmp.resolve("logs")), logLine);
    String engines = Files.readString(log);
    assertTrue(engines.contains("org.apache.flink") || engines.contains("org.apache.beam"), engines);
    assertFalse(run.stdout.contains("org.apache.") || run.stderr.contains("org.apache."), run::toString);
    assertTrue(run.stdout.contains("user_daily") && !run.stdout.contains("user_daily       0 rows"), run.stdout);
  }

  @Test
  void verboseShowsTheEnginesLines() throws Exception {
    Path slice = RealFiles.yellowSlice(tmp);
    ForkedRun run = launch("verbose", "--input=" + slice, "--output=" + tmp.resolve("verbose"), "--verbose");
    assertEquals(0, run.exitCode, run::toString);
    assertTrue(run.stderr.contains("org.apache.flink") || run.stderr.contains("org.apache.beam"), run::toString);
    assertFalse(run.stdout.contains("engine log"), run.stdout);
  }
}
