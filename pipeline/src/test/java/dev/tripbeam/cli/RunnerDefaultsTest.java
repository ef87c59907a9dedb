package dev.tripbeam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.options.OptionChecks;
import dev.tripbeam.options.TripPipelineOptions;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The settings tripbeam adds for a runner unless given, and the check of the files a Flink task keeps open. */
class RunnerDefaultsTest {
  private static List<String> args(String... given) {
    return List.of(CommandLine.of(given).args());
  }

  @Test
  void flinkGetsObjectReuseAndSmallerS3PartsUnlessGiven() {
    List<String> flink = args("--runner=FlinkRunner", "--flinkMaster=127.0.0.1:8081", "--input=a.csv");
    assertTrue(flink.contains("--objectReuse=true"), flink::toString);
    assertTrue(flink.contains("--s3UploadBufferSizeBytes=16777216"), flink::toString);

    List<String> given =
        args("--runner=FlinkRunner", "--flinkMaster=127.0.0.1:8081", "--s3UploadBufferSizeBytes=67108864");
    assertEquals(1, given.stream().filter(a -> a.startsWith("--s3UploadBufferSizeBytes=")).count(), given::toString);
    assertTrue(given.contains("--s3UploadBufferSizeBytes=67108864"), given::toString);

    List<String> spark = args("--runner=SparkRunner", "--input=a.csv");
    assertFalse(spark.stream().anyMatch(a -> a.startsWith("--s3UploadBufferSizeBytes=")), spark::toString);
  }

  @Test
  void aTaskMustKeepAtLeastOneFileOpen() {
    TripPipelineOptions options =
        PipelineOptionsFactory.fromArgs("--input=a.csv", "--output=out", "--openFilesPerTask=0")
            .as(TripPipelineOptions.class);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OptionChecks.check(options));
    assertEquals("--openFilesPerTask must be at least 1 (got 0)", e.getMessage());
    OptionChecks.check(
        PipelineOptionsFactory.fromArgs("--input=a.csv", "--output=out", "--openFilesPerTask=1")
            .as(TripPipelineOptions.class));
  }
}
