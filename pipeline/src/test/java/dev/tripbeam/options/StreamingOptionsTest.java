package dev.tripbeam.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.cli.TripCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --streaming}: its checks in one line each, the durations, and the Flink settings the command adds. */
class StreamingOptionsTest {
  @TempDir Path tmp;

  private static TripPipelineOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(TripPipelineOptions.class);
  }

  private static String refusal(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> OptionChecks.check(parse(args))).getMessage();
  }

  @Test
  void oneSourceAndAnOutputAreNeededAndBatchModesRefused() {
    String oneSource =
        "--streaming reads one source: Kafka (--kafkaBootstrapServers=HOST:PORT, --kafkaTopic) or the raw files "
            + "landing under --input=PREFIX";
    assertEquals(oneSource, refusal("--streaming=true", "--output=/tmp/lake"));
    assertEquals(
        "--kafkaBootstrapServers takes HOST:PORT[,HOST:PORT...] (got 'kafka')",
        refusal("--streaming=true", "--kafkaBootstrapServers=kafka", "--output=/tmp/lake"));
    assertEquals(
        "--streaming needs --output, the lake its zones go to",
        refusal("--streaming=true", "--kafkaBootstrapServers=127.0.0.1:9092"));
    assertEquals(
        oneSource, refusal("--streaming=true", "--kafkaBootstrapServers=b:9092", "--output=/tmp/l", "--input=/tmp/raw"));
    assertEquals(
        "--pollInterval takes a duration such as 90s, 5m, 1h or 2d (got 'often')",
        refusal("--streaming=true", "--input=/tmp/raw", "--output=/tmp/l", "--pollInterval=often"));
    assertEquals(
        "--incremental, --reprocess and --serveOnly are batch modes, not --streaming",
        refusal("--streaming=true", "--kafkaBootstrapServers=b:9092", "--output=/tmp/l", "--incremental=true"));
    assertEquals(
        "--allowedLateness takes a duration such as 90s, 5m, 1h or 2d (got 'soon')",
        refusal("--streaming=true", "--kafkaBootstrapServers=b:9092", "--output=/tmp/l", "--allowedLateness=soon"));
    assertEquals(
        "--checkpointInterval must be at least 1s",
        refusal("--streaming=true", "--kafkaBootstrapServers=b:9092", "--output=/tmp/l", "--checkpointInterval=200ms"));
  }

  @Test
  void defaults() {
    TripPipelineOptions options =
        parse("--streaming=true", "--kafkaBootstrapServers=a:9092,b:9093", "--output=relative/lake");
    OptionChecks.check(options);
    assertTrue(Path.of(options.getOutput()).isAbsolute());
    assertEquals(options.getOutput() + "/_streaming/checkpoints", options.getCheckpointPath());
    assertEquals("trips", options.getKafkaTopic());
    assertEquals("1h", options.getAllowedLateness());
  }

  /**
   * Each spelling, short or ISO-8601, reads as a literal number of milliseconds (java.time's own parse of the ISO
   * spelling is the second, independent check).
   */
  @ParameterizedTest(name = "{0} and {1} are {2} ms")
  @CsvSource({
    "1h, PT1H, 3600000", "5m, PT5M, 300000", "90s, PT1M30S, 90000", "250ms, PT0.25S, 250", "2d, P2D, 172800000"
  })
  void shortAndIsoFormsReadAsTheirMilliseconds(String shortForm, String iso, long millis) {
    assertEquals(millis, StreamDurations.parse("short", shortForm).getMillis(), shortForm);
    assertEquals(millis, StreamDurations.parse("iso", iso).getMillis(), iso);
    assertEquals(millis, java.time.Duration.parse(iso).toMillis(), "java.time reads " + iso + " the same");
  }

  @Test
  void theUnitIsNotIgnored() {
    assertNotEquals(StreamDurations.parse("x", "5m"), StreamDurations.parse("x", "5s"));
  }

  @Test
  void embeddedFlinkGetsCheckpointsHeapStateAndTheSavepointInItsConfiguration() throws Exception {
    Path conf = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(conf.resolve("flink-conf.yaml"), "rest.port: 12345");
    List<String> args =
        List.of(
            TripCommand.withRunnerSettings(
                new String[] {
                      "--runner=FlinkRunner", "--streaming=true", "--output=/tmp/lake", "--checkpointInterval=45s",
                      "--savepointPath=file:///tmp/sp/savepoint-1", "--flinkConfDir=" + conf
                    }));
    assertTrue(args.contains("--checkpointingInterval=45000"), args.toString());
    assertTrue(args.contains("--stateBackend=filesystem"), args.toString());
    assertTrue(
        args.stream().anyMatch(a -> a.startsWith("--stateBackendStoragePath=file:///tmp/lake/_streaming/checkpoints")),
        args.toString());
    assertTrue(args.contains("--externalizedCheckpointsEnabled=true"), args.toString());
    assertTrue(args.contains("--experiments=use_deprecated_read"), args.toString());
    String dir = args.stream().filter(a -> a.startsWith("--flinkConfDir=")).findFirst().orElseThrow().substring(15);
    assertEquals(
        "rest.port: 12345\nexecution.savepoint.path: file:///tmp/sp/savepoint-1\n",
        Files.readString(Path.of(dir, "flink-conf.yaml")));
  }

  @Test
  void aClusterGetsRocksDb() {
    List<String> args =
        List.of(
            TripCommand.withRunnerSettings(
                new String[] {
                      "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:8081", "--streaming=true",
                      "--output=s3://bucket/lake", "--savepointPath=s3://bucket/sp/1"
                    }));
    assertTrue(args.contains("--stateBackend=rocksdb"), args.toString());
    assertTrue(args.contains("--checkpointingInterval=5000"), "the option's default interval: " + args);
    assertTrue(args.contains("--finishBundleBeforeCheckpointing=true"), args.toString());
    assertTrue(args.contains("--stateBackendStoragePath=s3://bucket/lake/_streaming/checkpoints"), args.toString());
    assertEquals(1, args.stream().filter(a -> a.startsWith("--savepointPath=")).count(), "left to the cluster");
  }
}
