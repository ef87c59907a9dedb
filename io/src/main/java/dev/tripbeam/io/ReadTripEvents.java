package dev.tripbeam.io;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.transforms.EventClock;
import dev.tripbeam.transforms.TripCoders;
import dev.tripbeam.transforms.ValidateTrips;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Reads app trip events from a Kafka topic and checks each against the trip rules, stamped with event time.
 *
 * <p>Input: a topic of JSON lines in the app format (docs/app-format.md), one trip per record value (keys are not
 * read). Output: {@link CheckedTrip}s as {@link ReadTripFiles} gives them for a file: a valid trip stamped with its
 * pickup instant or its rejection with the record's text, lineage {@code kafka:<topic>/<partition>} and the offset
 * as row number; a valid trip that came after its pickup day had closed is rejected as {@code late_trip} ({@link
 * EventClock} decides per partition, as the watermark is made); per bundle the count {@value CheckedTrip#READ_ROWS}.
 * Offsets: read from the consumer group's committed offsets (the earliest when it has none), committed back when a
 * checkpoint completes; a job restored from a checkpoint or savepoint resumes from the offsets in it. Options: the
 * bootstrap servers, topic, consumer group, the checker, the maximum out-of-orderness and the allowed lateness.
 * Metrics: counters {@code events} and {@code late_trips} in namespace {@value #STEP}.
 *
 * <p>Each partition's watermark moves with the pickups it has read only ({@link EventClock}): a quiet partition holds
 * the days it has not yet seen past open, and a partition that never receives a record holds every day open, as the
 * watched prefix's reader does before its first file. Give the topic no more partitions than producers fill.
 */
public final class ReadTripEvents extends PTransform<PBegin, PCollection<CheckedTrip>> {
  public static final String STEP = "ReadTripEvents";

  private final String bootstrapServers;
  private final String topic;
  private final String consumerGroup;
  private final ValidateTrips.Checker checker;
  private final Duration outOfOrderness;
  private final Duration lateness;

  private ReadTripEvents(
      String bootstrapServers,
      String topic,
      String consumerGroup,
      ValidateTrips.Checker checker,
      Duration outOfOrderness,
      Duration lateness) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.consumerGroup = consumerGroup;
    this.checker = checker;
    this.outOfOrderness = outOfOrderness;
    this.lateness = lateness;
  }

  public static ReadTripEvents of(
      String bootstrapServers,
      String topic,
      String consumerGroup,
      ValidateTrips.Checker checker,
      Duration outOfOrderness,
      Duration lateness) {
    return new ReadTripEvents(bootstrapServers, topic, consumerGroup, checker, outOfOrderness, lateness);
  }

  @Override
  public PCollection<CheckedTrip> expand(PBegin begin) {
    return begin
        .apply(
            "ReadKafkaRecords",
            KafkaIO.<byte[], String>read()
                .withBootstrapServers(bootstrapServers)
                .withTopic(topic)
                .withKeyDeserializer(ByteArrayDeserializer.class)
                .withValueDeserializer(StringDeserializer.class)
                .withConsumerConfigUpdates(
                    Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG, consumerGroup,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))
                .commitOffsetsInFinalize()
                .withTimestampPolicyFactory(new PickupTimePolicies(checker, outOfOrderness, lateness)))
        .apply("ParseAndCheckTripEvents", ParDo.of(new CheckFn(checker)))
        .setCoder(TripCoders.checkedTrip());
  }

  static String source(String topic, int partition) {
    return "kafka:" + topic + "/" + partition;
  }

  /** One {@link EventClock} per partition, restarted from the checkpoint's watermark. */
  private static final class PickupTimePolicies implements TimestampPolicyFactory<byte[], String> {
    private static final long serialVersionUID = 1L;
    private final ValidateTrips.Checker checker;
    private final Duration outOfOrderness;
    private final Duration lateness;

    PickupTimePolicies(ValidateTrips.Checker checker, Duration outOfOrderness, Duration lateness) {
      this.checker = checker;
      this.outOfOrderness = outOfOrderness;
      this.lateness = lateness;
    }

    @Override
    public TimestampPolicy<byte[], String> createTimestampPolicy(
        TopicPartition partition, Optional<Instant> previousWatermark) {
      EventClock clock = new EventClock(outOfOrderness, lateness, previousWatermark.orElse(null));
      return new TimestampPolicy<>() {
        @Override
        public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], String> record) {
          String value = record.getKV().getValue();
          Long pickup =
              value == null
                  ? null
                  : checker.validPickupMillis(
                      TripFileReader.appLine(
                          source(record.getTopic(), record.getPartition()), record.getOffset(), value));
          return clock.timestamp(pickup);
        }

        @Override
        public Instant getWatermark(PartitionContext ctx) {
          return clock.settle();
        }
      };
    }
  }

  /** Checks each record; a valid trip not stamped with its pickup was late at the source. */
  private static final class CheckFn extends DoFn<KafkaRecord<byte[], String>, CheckedTrip> {
    private final ValidateTrips.Checker checker;
    private final Counter events = Metrics.counter(STEP, "events");
    private final Counter lateTrips = Metrics.counter(STEP, "late_trips");
    private final Counter valid = ValidateTrips.Checker.validCounter();
    private transient long read;
    private transient Instant lastTimestamp;

    CheckFn(ValidateTrips.Checker checker) {
      this.checker = checker;
    }

    @StartBundle
    public void start() {
      read = 0;
    }

    @ProcessElement
    public void process(
        @Element KafkaRecord<byte[], String> record, @Timestamp Instant timestamp, OutputReceiver<CheckedTrip> out) {
      read++;
      lastTimestamp = timestamp;
      events.inc();
      String value = record.getKV().getValue();
      RawTrip raw =
          TripFileReader.appLine(
              source(record.getTopic(), record.getPartition()), record.getOffset(), value == null ? "" : value);
      CheckedTrip checked = checker.check(raw, raw::getRaw, valid);
      if (checked.isTrip() && timestamp.getMillis() != Math.floorDiv(checked.trip().getPickupMicros(), 1_000L)) {
        lateTrips.inc();
        checked = EventClock.lateTrip(checked.trip(), STEP, raw.getRaw());
      }
      out.output(checked);
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      if (read > 0) {
        c.output(
            CheckedTrip.count(CheckedTrip.READ_ROWS, read),
            lastTimestamp,
            GlobalWindow.INSTANCE);
      }
    }
  }
}
