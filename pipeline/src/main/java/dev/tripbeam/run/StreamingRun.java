package dev.tripbeam.run;

import dev.tripbeam.graph.StreamingGraph;
import dev.tripbeam.lake.IcebergLake;
import dev.tripbeam.lake.LakeZone;
import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.Zone;
import dev.tripbeam.options.RunRequest;
import dev.tripbeam.options.TripPipelineOptions;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The streaming job's run: checks its source (a Kafka topic the brokers have, or a prefix to watch) and the lake's
 * catalog (creating the zones' tables), builds the graph ({@link StreamingGraph}), starts it and waits for it to end (cancelled, stopped with a savepoint, failed). Input: a
 * checked {@link RunRequest}; output: the {@link Outcome} with the job's final state.
 */
public final class StreamingRun {
  private StreamingRun() {}

  /** A streaming pipeline with its graph applied, not yet run, and what it reads from. */
  public static final class Assembled {
    public final Pipeline pipeline;
    public final StreamingGraph.Graph graph;
    final String from;

    Assembled(Pipeline pipeline, StreamingGraph.Graph graph, String from) {
      this.pipeline = pipeline;
      this.graph = graph;
      this.from = from;
    }
  }

  static Outcome run(RunRequest request, RunListener listener) {
    return run(request, assemble(request), listener);
  }

  /** The streaming pipeline of a request: its source (checked to exist) and {@link StreamingGraph#build}. */
  public static Assembled assemble(RunRequest request) {
    TripPipelineOptions options = request.options();
    List<Zone> zones = ZoneTables.load(request);
    String from;
    if (StreamingGraph.readsFiles(request)) {
      from = "raw files landing under " + options.getInput();
    } else {
      checkTopic(options.getKafkaBootstrapServers(), options.getKafkaTopic());
      from = "Kafka topic " + options.getKafkaTopic() + " at " + options.getKafkaBootstrapServers();
    }
    from += "; committed to the tables of " + ensureTables(request) + " every " + options.getCommitInterval();
    ServingStep serving = ServingStep.of(request);
    if (serving != null) {
      serving.migrate();
      from += "; running aggregates upserted into " + serving.target().shown();
    }
    Pipeline pipeline = Pipeline.create(options);
    PCollection<CheckedTrip> source = StreamingGraph.source(pipeline, request, zones);
    return new Assembled(pipeline, StreamingGraph.build(source, request, zones), from);
  }

  /**
   * Starts an assembled job (a later version may add steps to its graph first) and waits for it to end. The request
   * as {@link #assemble} had it.
   */
  public static Outcome run(RunRequest request, Assembled job, RunListener listener) {
    TripPipelineOptions options = request.options();
    listener.line(
        String.format(
            Locale.ROOT,
            "tripbeam stream %s on %s: %s into %s; days close %s after their end, checkpoints every %s to %s",
            request.runId(),
            request.runnerName(),
            job.from,
            options.getOutput(),
            options.getAllowedLateness(),
            options.getCheckpointInterval(),
            options.getCheckpointPath()));
    listener.phase("starting the engine");
    PipelineResult result = job.pipeline.run();
    PipelineResult.State state;
    try {
      state = result.waitUntilFinish();
    } catch (UnsupportedOperationException e) {
      state = null;
    }
    String summary =
        state == null
            ? String.format(Locale.ROOT, "tripbeam stream %s: submitted, running detached%n", request.runId())
            : String.format(Locale.ROOT, "tripbeam stream %s: ended in state %s%n", request.runId(), state);
    return new Outcome(null, result, null, summary, null);
  }

  /**
   * Opens the lake's catalog and creates the zones' tables a first commit would need, so that a catalog the job cannot
   * use stops it here with one line rather than in its committers; returns the catalog as it may be shown.
   */
  private static String ensureTables(RunRequest request) {
    try (IcebergLake lake = request.openTables()) {
      for (LakeZone zone : LakeZone.values()) {
        lake.ensure(zone);
      }
      return lake.shownCatalog();
    } catch (IOException | RuntimeException e) {
      throw new UserError("cannot use the lake's catalog: " + e.getMessage());
    }
  }

  /**
   * Refuses to start on a topic the brokers do not have (the job would restart forever looking for its partitions) or
   * brokers that do not answer within 30 s.
   */
  private static void checkTopic(String servers, String topic) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
      Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (!topics.contains(topic)) {
        throw new UserError(
            "the Kafka brokers at " + servers + " have no topic " + topic + " (create it, or give --kafkaTopic)");
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new UserError("cannot reach the Kafka brokers at " + servers + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while asking the Kafka brokers at " + servers + " for " + topic);
    }
  }
}
