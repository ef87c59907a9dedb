package dev.tripbeam.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * The lake's maintenance commands ({@code --upgradeLake}, {@code --cleanOrphans}, {@code --compactLake}) and {@code
 * --asOfRun}: each maps to its action, one at a time, on a lake, with no pipeline option; refusals in one line.
 */
class MaintenanceOptionsTest {
  private static RunRequest check(String... args) {
    return OptionChecks.check(PipelineOptionsFactory.fromArgs(args).as(TripPipelineOptions.class));
  }

  private static String refusal(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> check(args)).getMessage();
  }

  @Test
  void eachVerbIsItsAction() {
    assertEquals(RunRequest.Action.COMPACT_LAKE, check("--output=/tmp/lake", "--compactLake=true").action());
    assertEquals(RunRequest.Action.CLEAN_ORPHANS, check("--output=/tmp/lake", "--cleanOrphans=true").action());
    assertEquals(RunRequest.Action.UPGRADE_LAKE, check("--output=/tmp/lake", "--upgradeLake=true").action());
    assertEquals(RunRequest.Action.SERVE_ONLY, check("--output=/tmp/lake", "--serveOnly=true",
        "--servingJdbcUrl=jdbc:postgresql://127.0.0.1:5432/db", "--asOfRun=r1").action());
  }

  @Test
  void verbsAreRefusedTogetherWithoutALakeOrWithAPipeline() {
    assertEquals("--cleanOrphans and --compactLake are separate commands: give one of them",
        refusal("--output=/tmp/lake", "--cleanOrphans=true", "--compactLake=true"));
    assertEquals("--compactLake needs --output, the lake", refusal("--compactLake=true"));
    assertEquals("--compactLake runs no pipeline: give it no --input, --incremental, --reprocess or --serveOnly",
        refusal("--output=/tmp/lake", "--compactLake=true", "--input=/tmp/raw"));
    assertEquals("--asOfRun is for --serveOnly=true, which loads the serving database",
        refusal("--output=/tmp/lake", "--input=/tmp/raw", "--asOfRun=r1"));
  }
}
