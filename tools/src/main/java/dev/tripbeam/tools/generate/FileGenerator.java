package dev.tripbeam.tools.generate;

import dev.tripbeam.model.NewYorkTime;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/** Generates the trips of one contiguous range of users into one file. */
final class FileGenerator {
  /** The app format, as written: every column nullable so that invalid rows can be represented. */
  static final Schema APP_SCHEMA =
      SchemaBuilder.record("AppTrip").namespace("dev.tripbeam.app").fields()
          .requiredString("trip_id")
          .requiredString("user_id")
          .name("pickup_ts").type().optional().type(micros()).name("dropoff_ts").type().optional().type(micros())
          .optionalInt("pu_zone_id")
          .optionalInt("do_zone_id")
          .optionalInt("passenger_count")
          .optionalDouble("distance_miles")
          .optionalLong("fare_cents")
          .optionalLong("tip_cents")
          .optionalLong("tolls_cents")
          .optionalLong("total_cents")
          .optionalInt("payment_type")
          .endRecord();

  private static final long SECOND = 1_000_000L;
  private static final double CHAIN_PROBABILITY = 0.4;

  private final GeneratorSettings s;
  private final TripTemplates templates;
  private final UserPlan plan;
  private final int file;
  private final String idPrefix;
  private long invalidCounter;
  private long rows;
  private long invalid;
  private long duplicates;

  FileGenerator(GeneratorSettings s, TripTemplates templates, UserPlan plan, int file) {
    this.s = s;
    this.idPrefix = s.idPrefix();
    this.templates = templates;
    this.plan = plan;
    this.file = file;
  }

  private static Schema micros() {
    return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
  }

  /** One output row; boxed fields are null where an invalid row lacks them. */
  private static final class Row {
    String tripId;
    String userId;
    Long pickup;
    Long dropoff;
    Integer pu;
    Integer dO;
    Integer passengers;
    Double miles;
    Long fare;
    Long tip;
    Long tolls;
    Long total;
    Integer payment;

    Row copy() {
      Row r = new Row();
      r.tripId = tripId;
      r.userId = userId;
      r.pickup = pickup;
      r.dropoff = dropoff;
      r.pu = pu;
      r.dO = dO;
      r.passengers = passengers;
      r.miles = miles;
      r.fare = fare;
      r.tip = tip;
      r.tolls = tolls;
      r.total = total;
      r.payment = payment;
      return r;
    }
  }

  long[] write() throws IOException {
    long firstUser = UserPlan.firstUser(file, s.users(), s.files());
    long endUser = UserPlan.firstUser(file + 1, s.users(), s.files());
    Path out = s.output().resolve(GeneratorSettings.fileName(file, s.format()));
    long localStart = s.start().atStartOfDay(ZoneOffset.UTC).toEpochSecond() * SECOND;
    double cumulative = plan.cumulativeAtFile[file];
    try (RowSink sink = s.format().equals("parquet") ? new ParquetSink(out) : new JsonSink(out)) {
      for (long u = firstUser; u < endUser; u++) {
        long count = plan.tripsOf(u, cumulative);
        cumulative += UserPlan.weight(s.seed(), u);
        if (count > 0) {
          userTrips(u, count, localStart, sink);
        }
      }
    }
    return new long[] {rows, invalid, duplicates};
  }

  /** One user's trips; pickups at the templates' New York times of day, from {@code localStart} (wall clock). */
  private void userTrips(long user, long count, long localStart, RowSink sink) throws IOException {
    SplittableRandom rng = new SplittableRandom(UserPlan.mix(s.seed(), user));
    String userId = String.format(Locale.ROOT, "u%09d", user);
    long k = 0;
    while (k < count) {
      TripTemplates.Template t = templates.all.get(rng.nextInt(templates.all.size()));
      long minute = Math.floorMod(t.minuteOfDay() + rng.nextInt(-10, 11), 24 * 60);
      long local = localStart + (rng.nextInt(s.days()) * 86_400L + minute * 60 + rng.nextInt(60)) * SECOND;
      long[] instants = NewYorkTime.instants(local);
      long pickup = instants.length > 0 ? instants[0] : NewYorkTime.instants(local + 3_600L * SECOND)[0];
      Row previous = emit(user, userId, k++, t, pickup, rng, sink);
      while (k < count && rng.nextDouble() < CHAIN_PROBABILITY) {
        long gapSeconds = rng.nextDouble() < 0.85 ? rng.nextInt(60, 30 * 60 + 1) : rng.nextInt(30 * 60 + 1, 90 * 60);
        List<TripTemplates.Template> from = templates.byPickupZone.get(t.dO());
        t = from == null ? templates.all.get(rng.nextInt(templates.all.size())) : from.get(rng.nextInt(from.size()));
        previous = emit(user, userId, k++, t, previous.dropoff + gapSeconds * SECOND, rng, sink);
      }
    }
  }

  private Row emit(
      long user, String userId, long k, TripTemplates.Template t, long pickup, SplittableRandom rng, RowSink sink)
      throws IOException {
    Row r = new Row();
    r.tripId = idPrefix + String.format(Locale.ROOT, "%016x", UserPlan.mix(s.idSeed() ^ user, k));
    r.userId = userId;
    r.pickup = pickup;
    long duration =
        Math.min(86_400, Math.max(60, Math.round(t.durationSeconds() * (0.95 + 0.1 * rng.nextDouble()))));
    r.dropoff = pickup + duration * SECOND;
    r.pu = t.pu();
    r.dO = t.dO();
    r.passengers = t.passengers();
    r.miles = Math.round(t.miles() * (0.97 + 0.06 * rng.nextDouble()) * 100) / 100.0;
    r.fare = Math.round(t.fareCents() * (0.97 + 0.06 * rng.nextDouble()));
    if (rng.nextDouble() < s.anomalyRate()) {
      r.fare = r.fare * (6 + rng.nextInt(10)) + 5000;
    }
    r.tip = t.tipCents();
    r.tolls = t.tollsCents();
    r.total = r.fare + r.tip + r.tolls + t.otherCents();
    r.payment = t.payment();
    Row clean = r;
    if (rng.nextDouble() < s.invalidRate()) {
      corrupt(r);
      invalid++;
    } else if (rng.nextDouble() < s.duplicateRate()) {
      Row copy = r.copy();
      if ((duplicates & 1) == 1) {
        copy.tip = r.tip + 100;
      }
      sink.write(r);
      rows++;
      r = copy;
      duplicates++;
    }
    sink.write(r);
    rows++;
    return clean;
  }

  /** Breaks one rule of validation, the classes in turn. */
  private void corrupt(Row r) {
    switch ((int) (invalidCounter++ % 10)) {
      case 0 -> r.total = null;
      case 1 -> r.pickup = null;
      case 2 -> r.pu = null;
      case 3 -> r.dO = 999;
      case 4 -> r.dropoff = r.pickup;
      case 5 -> r.dropoff = r.pickup + 25 * 3600 * SECOND;
      case 6 -> r.miles = -Math.max(0.1, r.miles);
      case 7 -> r.miles = 612.5;
      case 8 -> r.fare = -Math.max(1, r.fare);
      default -> {
        r.miles = 150.0;
        r.dropoff = r.pickup + 3600 * SECOND;
      }
    }
  }

  private interface RowSink extends Closeable {
    void write(Row r) throws IOException;
  }

  private static final class ParquetSink implements RowSink {
    private final ParquetWriter<GenericRecord> writer;

    ParquetSink(Path out) throws IOException {
      writer =
          AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(out))
              .withSchema(APP_SCHEMA)
              .withDataModel(GenericData.get())
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .build();
    }

    @Override
    public void write(Row r) throws IOException {
      GenericData.Record g = new GenericData.Record(APP_SCHEMA);
      g.put(0, r.tripId);
      g.put(1, r.userId);
      g.put(2, r.pickup);
      g.put(3, r.dropoff);
      g.put(4, r.pu);
      g.put(5, r.dO);
      g.put(6, r.passengers);
      g.put(7, r.miles);
      g.put(8, r.fare);
      g.put(9, r.tip);
      g.put(10, r.tolls);
      g.put(11, r.total);
      g.put(12, r.payment);
      writer.write(g);
    }

    @Override
    public void close() throws IOException {
      writer.close();
    }
  }

  private static final class JsonSink implements RowSink {
    private final BufferedWriter writer;

    JsonSink(Path out) throws IOException {
      writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
    }

    @Override
    public void write(Row r) throws IOException {
      StringBuilder b = new StringBuilder(256);
      b.append("{\"trip_id\":\"").append(r.tripId).append("\",\"user_id\":\"").append(r.userId).append('"');
      field(b, "pickup_ts", r.pickup == null ? null : '"' + Instant.ofEpochSecond(0, r.pickup * 1000).toString() + '"');
      field(b, "dropoff_ts", r.dropoff == null ? null : '"' + Instant.ofEpochSecond(0, r.dropoff * 1000).toString() + '"');
      field(b, "pu_zone_id", r.pu);
      field(b, "do_zone_id", r.dO);
      field(b, "passenger_count", r.passengers);
      field(b, "distance_miles", r.miles);
      field(b, "fare_cents", r.fare);
      field(b, "tip_cents", r.tip);
      field(b, "tolls_cents", r.tolls);
      field(b, "total_cents", r.total);
      field(b, "payment_type", r.payment);
      writer.write(b.append("}\n").toString());
    }

    private static void field(StringBuilder b, String name, Object value) {
      b.append(",\"").append(name).append("\":").append(value == null ? "null" : value.toString());
    }

    @Override
    public void close() throws IOException {
      writer.close();
    }
  }
}
