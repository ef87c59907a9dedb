package dev.tripbeam.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * The streaming job ({@code --streaming}): trips as they arrive, from a Kafka topic or as files landing under a
 * watched {@code --input} prefix, in event time, written exactly once per pane. Durations are written {@code 90s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601 ({@code PT1H}).
 */
public interface TripStreamingOptions extends StreamingOptions {
  /** The default {@code --checkpointInterval}, also what the Flink arguments use when it is not given. */
  String DEFAULT_CHECKPOINT_INTERVAL = "5s";

  // No option may share a name with a runner's (Beam refuses two getters with different defaults when both
  // interfaces are registered): Spark's runner has checkpointDir, Flink's checkpointingInterval.
  @Description(
      "HOST:PORT[,HOST:PORT...] of the Kafka brokers whose topic (--kafkaTopic) carries app trip events, one JSON "
          + "line of the app format per record; with --streaming (or give --input=PREFIX to watch raw files).")
  String getKafkaBootstrapServers();

  void setKafkaBootstrapServers(String value);

  @Description(
      "With --streaming and --input=PREFIX (a folder, an S3 prefix or a glob): how often the prefix is listed for "
          + "files that have landed since.")
  @Default.String("10s")
  String getPollInterval();

  void setPollInterval(String value);

  @Description("The Kafka topic of trip events.")
  @Default.String("trips")
  String getKafkaTopic();

  void setKafkaTopic(String value);

  @Description(
      "The Kafka consumer group: a job started without a checkpoint or savepoint begins at the group's committed "
          + "offsets (the earliest when it has none); offsets are committed when a checkpoint completes.")
  @Default.String("tripbeam")
  String getKafkaConsumerGroup();

  void setKafkaConsumerGroup(String value);

  @Description(
      "How long after a New York pickup day has ended (by the watermark) its trips are still counted; the day's "
          + "zone_daily, user_daily and anomalies are written once, when the watermark passes the day's end plus "
          + "this. A trip later than that goes to the rejected zone as late_trip.")
  @Default.String("1h")
  String getAllowedLateness();

  void setAllowedLateness(String value);

  @Description(
      "The watermark trails the latest pickup a partition has delivered by this much (and the wall clock by as "
          + "much when the partition has nothing to read).")
  @Default.String("5m")
  String getMaxOutOfOrderness();

  void setMaxOutOfOrderness(String value);

  @Description(
      "How often the processed trips, rejected and counts zones get a new file per partition with what arrived "
          + "(each file appears after the checkpoint that covers it), and how often each open day's running aggregates "
          + "are recomputed (and upserted with --servingJdbcUrl).")
  @Default.String("2s")
  String getPaneInterval();

  void setPaneInterval(String value);

  @Description(
      "How often the streaming job checkpoints its state and the sources' offsets; a pane's files appear after the "
          + "checkpoint that covers it.")
  @Default.String(DEFAULT_CHECKPOINT_INTERVAL)
  String getCheckpointInterval();

  void setCheckpointInterval(String value);

  @Description(
      "How often the streaming job commits the files it wrote to the lake's Iceberg tables: one snapshot per table "
          + "with what arrived since the last commit (a table's readers see a pane's rows after the checkpoint that "
          + "covers it and the next commit). Each commit rewrites the table's metadata, so minutes suit a lake.")
  @Default.String("1m")
  String getCommitInterval();

  void setCommitInterval(String value);

  @Description(
      "Where checkpoints go (a local folder or s3://bucket/prefix); default <output>/_streaming/checkpoints. A job "
          + "restarted from one of them (--savepointPath=DIR/<job id>/chk-N) or from a savepoint resumes exactly.")
  String getCheckpointPath();

  void setCheckpointPath(String value);
}
