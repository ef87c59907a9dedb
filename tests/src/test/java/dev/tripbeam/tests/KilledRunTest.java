package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.fixtures.RealFiles;
import dev.tripbeam.oracles.DuckDbReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of the real bundled data on embedded Flink, killed with SIGKILL by its PID while it works, leaves nothing in
 * the zones and no table or ledger row; the next incremental run processes every file again and its outputs equal
 * DuckDB's computation over the same raw files, as one clean run's do.
 */
class KilledRunTest {
  @TempDir Path tmp;

  @Test
  void killedRunLeavesNothingVisibleAndTheRerunEqualsOneCleanRun() throws Exception {
    String input =
        String.join(",", RealFiles.CSV.stream().map(Path::toString).toList()) + "," + RealFiles.GREEN_PARQUET;
    Path lake = tmp.resolve("lake");
    Files.createDirectories(lake);
    Process process =
        ForkedRun.start("flink", List.of(), "--input=" + input, "--output=" + lake, "--incremental=true", "--runId=killed")
            .redirectOutput(tmp.resolve("killed.out").toFile())
            .redirectError(tmp.resolve("killed.err").toFile())
            .start();
    Path staging = lake.resolve("_temporary/killed");
    long started = System.nanoTime();
    // Kill once the job has staged output, as seen on disk; the bound only guards against a hung run.
    while (process.isAlive() && !hasFile(staging) && System.nanoTime() - started < 600_000_000_000L) {
      Thread.sleep(20);
    }
    assertTrue(hasFile(staging), "the job staged output before the kill: " + Files.readString(tmp.resolve("killed.err")));
    assertTrue(process.isAlive(), "the run ended before it could be killed: " + Files.readString(tmp.resolve("killed.err")));
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start();
    assertEquals(0, kill.waitFor());
    process.waitFor();
    assertEquals(137, process.exitValue(), "ended by SIGKILL");

    for (String zone : List.of("processed", "aggregated", "rejected", "_reports", "_ledger", "_pending")) {
      assertFalse(hasFile(lake.resolve(zone)), zone + " must show nothing of the killed run");
    }

    ForkedRun rerun = ForkedRun.run("flink", lake, List.of(), "--input=" + input, "--output=" + lake, "--incremental=true", "--runId=rerun");
    assertEquals(0, rerun.exitCode, rerun::toString);
    assertEquals(RealFiles.CSV.size() + 1, rerun.report().get("inputs").size(), "every file is processed again");
    assertFalse(Files.exists(staging), "the killed run's staging area is removed");
    try (DuckDbReference duck =
        new DuckDbReference(RealFiles.CSV, List.of(RealFiles.GREEN_PARQUET), RealFiles.ZONES)) {
      assertEquals(duck.counts(), RealDataCrossCheckTest.reportCounts(rerun.report()));
      RealDataCrossCheckTest.assertZoneDailyEquals(duck.zoneDaily(), lake);
      long unique = rerun.report().at("/counts/valid").asLong();
      assertEquals(
          Long.toString(unique),
          Outputs.processedFingerprint(lake).split("\\|")[0],
          "every unique trip once in the processed zone");
    }
  }

  private static boolean hasFile(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      return tree.anyMatch(Files::isRegularFile);
    }
  }
}
