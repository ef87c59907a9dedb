package dev.tripbeam.io;

import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.model.FareAnomaly;
import dev.tripbeam.model.NewYorkTime;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.UserDaily;
import dev.tripbeam.model.ZoneDaily;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The Parquet layout of each curated zone, as Avro schemas, and the mapping of tripbeam values to records. Columns are
 * snake_case; instants are {@code timestamp-micros} (Parquet TIMESTAMP(MICROS, isAdjustedToUTC=true)); New York
 * wall-clock times are {@code local-timestamp-micros} (isAdjustedToUTC=false) and named {@code *_local_datetime};
 * New York calendar dates are {@code date} (Parquet DATE).
 */
public final class AvroRecords {
  private AvroRecords() {}

  /**
   * A value type's Parquet layout: its schema (as JSON, so it serializes), the record of one value, and the columns
   * whose values are (nearly) all distinct, written without a dictionary.
   */
  public static final class Layout<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String schemaJson;
    private final SerializableFunction<T, GenericRecord> toRecord;
    private final List<String> distinctColumns;
    private final @Nullable DirectColumns<T> directColumns;
    private transient Schema schema;

    Layout(Schema schema, SerializableFunction<T, GenericRecord> toRecord, String... distinctColumns) {
      this(schema, toRecord, null, distinctColumns);
    }

    Layout(
        Schema schema,
        SerializableFunction<T, GenericRecord> toRecord,
        @Nullable DirectColumns<T> directColumns,
        String... distinctColumns) {
      this.schemaJson = schema.toString();
      this.toRecord = toRecord;
      this.schema = schema;
      this.distinctColumns = List.of(distinctColumns);
      this.directColumns = directColumns;
      for (String column : distinctColumns) {
        if (schema.getField(column) == null) {
          throw new IllegalArgumentException("no column " + column + " in " + schema.getName());
        }
      }
      if (directColumns != null) {
        directColumns.check(schema);
      }
    }

    /** The columns written straight into Parquet, without an Avro record per row; null: write {@link #toRecord}. */
    @Nullable DirectColumns<T> directColumns() {
      return directColumns;
    }

    /**
     * Columns of (nearly) unique values: a dictionary of them only grows until Parquet falls back to plain encoding,
     * at a cost per value.
     */
    public List<String> distinctColumns() {
      return distinctColumns;
    }

    public Schema schema() {
      if (schema == null) {
        schema = new Schema.Parser().parse(schemaJson);
      }
      return schema;
    }

    public GenericRecord toRecord(T value) {
      return toRecord.apply(value);
    }
  }

  /** The type of a column: the schema itself, or the non-null branch of an optional column's union. */
  public static Schema valueType(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
  }

  private static Schema instant() {
    return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
  }

  private static Schema localTimestamp() {
    return LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
  }

  private static Schema date() {
    return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
  }

  /**
   * Days since 1970-01-01 (a Parquet DATE) of a {@code YYYY-MM-DD} date, read digit by digit: user_daily writes one per
   * row.
   */
  public static int epochDay(String date) {
    return (int) LocalDate.of(
            Integer.parseInt(date, 0, 4, 10), Integer.parseInt(date, 5, 7, 10), Integer.parseInt(date, 8, 10, 10))
        .toEpochDay();
  }

  public static final Schema PROCESSED_TRIP =
      SchemaBuilder.record("ProcessedTrip").namespace("dev.tripbeam").fields()
          .requiredString("trip_id")
          .requiredString("source")
          .optionalInt("vendor_id")
          .name("pickup_datetime").type(instant()).noDefault()
          .name("dropoff_datetime").type(instant()).noDefault()
          .name("pickup_local_datetime").type(localTimestamp()).noDefault()
          .name("dropoff_local_datetime").type(localTimestamp()).noDefault()
          .name("pickup_date").type(date()).noDefault()
          .requiredInt("pu_zone_id")
          .requiredString("pu_borough")
          .requiredString("pu_zone")
          .requiredInt("do_zone_id")
          .requiredString("do_borough")
          .requiredString("do_zone")
          .optionalInt("passenger_count")
          .requiredDouble("trip_distance")
          .requiredLong("fare_cents")
          .requiredLong("tip_cents")
          .requiredLong("tolls_cents")
          .requiredLong("total_cents")
          .optionalInt("payment_type")
          .optionalString("user_id")
          .requiredString("source_file")
          .requiredLong("source_row")
          .endRecord();

  public static final Schema ZONE_DAILY =
      SchemaBuilder.record("ZoneDaily").namespace("dev.tripbeam").fields()
          .name("pickup_date").type(date()).noDefault()
          .requiredInt("pu_zone_id")
          .requiredString("borough")
          .requiredString("zone")
          .requiredLong("trips")
          .requiredLong("passengers")
          .requiredDouble("distance_miles")
          .requiredLong("fare_cents")
          .requiredLong("tip_cents")
          .requiredLong("total_cents")
          .requiredDouble("avg_duration_s")
          .endRecord();

  public static final Schema USER_DAILY =
      SchemaBuilder.record("UserDaily").namespace("dev.tripbeam").fields()
          .requiredString("user_id")
          .name("pickup_date").type(date()).noDefault()
          .requiredLong("trips")
          .requiredDouble("distance_miles")
          .requiredLong("total_cents")
          .name("first_pickup_ts").type(instant()).noDefault()
          .name("last_dropoff_ts").type(instant()).noDefault()
          .requiredLong("journeys")
          .requiredLong("distinct_zones")
          .endRecord();

  public static final Schema FARE_ANOMALY =
      SchemaBuilder.record("FareAnomaly").namespace("dev.tripbeam").fields()
          .requiredString("trip_id")
          .name("pickup_date").type(date()).noDefault()
          .requiredInt("pu_zone_id")
          .requiredInt("do_zone_id")
          .requiredDouble("distance_miles")
          .requiredLong("fare_cents")
          .requiredDouble("fare_per_mile")
          .requiredDouble("route_median")
          .requiredDouble("route_mad")
          .requiredLong("route_trips")
          .requiredDouble("score")
          .endRecord();

  public static final Schema REJECTED =
      SchemaBuilder.record("RejectedRecord").namespace("dev.tripbeam").fields()
          .requiredString("reason")
          .requiredString("step")
          .requiredString("source_file")
          .requiredLong("row_number")
          .requiredString("raw")
          .requiredString("detail")
          .endRecord();

  /** The record each zone's values become. */
  private enum Kind {
    PROCESSED_TRIP,
    ZONE_DAILY,
    USER_DAILY,
    FARE_ANOMALY,
    REJECTED
  }

  /**
   * A zone's conversion as a named class rather than a method reference: the Spark job jar relocates Avro, and a
   * serialized lambda whose signature names Avro types no longer matches its relocated class.
   */
  private static final class ToRecord<T> implements SerializableFunction<T, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final Kind kind;

    ToRecord(Kind kind) {
      this.kind = kind;
    }

    @Override
    public GenericRecord apply(T value) {
      return switch (kind) {
        case PROCESSED_TRIP -> processedTrip((EnrichedTrip) value);
        case ZONE_DAILY -> zoneDaily((ZoneDaily) value);
        case USER_DAILY -> userDaily((UserDaily) value);
        case FARE_ANOMALY -> anomaly((FareAnomaly) value);
        case REJECTED -> rejected((RejectedRecord) value);
      };
    }
  }

  public static Layout<EnrichedTrip> processedTrips() {
    return new Layout<>(
        PROCESSED_TRIP,
        new ToRecord<>(Kind.PROCESSED_TRIP),
        ZoneColumns.processedTrips(),
        "trip_id",
        "user_id",
        "pickup_datetime",
        "dropoff_datetime",
        "pickup_local_datetime",
        "dropoff_local_datetime",
        "source_row");
  }

  public static Layout<ZoneDaily> zoneDaily() {
    return new Layout<>(ZONE_DAILY, new ToRecord<>(Kind.ZONE_DAILY));
  }

  public static Layout<UserDaily> userDaily() {
    return new Layout<>(
        USER_DAILY, new ToRecord<>(Kind.USER_DAILY), ZoneColumns.userDaily(), "first_pickup_ts", "last_dropoff_ts");
  }

  public static Layout<FareAnomaly> anomalies() {
    return new Layout<>(FARE_ANOMALY, new ToRecord<>(Kind.FARE_ANOMALY));
  }

  public static Layout<RejectedRecord> rejected() {
    return new Layout<>(REJECTED, new ToRecord<>(Kind.REJECTED));
  }

  static GenericRecord processedTrip(EnrichedTrip e) {
    Trip t = e.getTrip();
    GenericData.Record r = new GenericData.Record(PROCESSED_TRIP);
    r.put("trip_id", t.getTripId());
    r.put("source", t.getSource());
    r.put("vendor_id", t.getVendorId());
    r.put("pickup_datetime", t.getPickupMicros());
    r.put("dropoff_datetime", t.getDropoffMicros());
    r.put("pickup_local_datetime", NewYorkTime.localMicros(t.getPickupMicros()));
    r.put("dropoff_local_datetime", NewYorkTime.localMicros(t.getDropoffMicros()));
    r.put("pickup_date", t.getPickupEpochDay());
    r.put("pu_zone_id", t.getPuZoneId());
    r.put("pu_borough", e.getPuBorough());
    r.put("pu_zone", e.getPuZone());
    r.put("do_zone_id", t.getDoZoneId());
    r.put("do_borough", e.getDoBorough());
    r.put("do_zone", e.getDoZone());
    r.put("passenger_count", t.getPassengerCount());
    r.put("trip_distance", t.getDistanceMiles());
    r.put("fare_cents", t.getFareCents());
    r.put("tip_cents", t.getTipCents());
    r.put("tolls_cents", t.getTollsCents());
    r.put("total_cents", t.getTotalCents());
    r.put("payment_type", t.getPaymentType());
    r.put("user_id", t.getUserId());
    r.put("source_file", t.getSourceFile());
    r.put("source_row", t.getSourceRow());
    return r;
  }

  /** The trip of a processed-trips row (the inverse of {@link #processedTrips()} for the trip's own fields). */
  public static Trip trip(GenericRecord r) {
    if (r.getSchema().getField("source_file") == null) {
      throw new IllegalStateException(
          "the processed zone was written by a tripbeam without trip lineage (no source_file column); run a full"
              + " refresh to rewrite it");
    }
    return Trip.builder()
        .setTripId(r.get("trip_id").toString())
        .setSource(r.get("source").toString())
        .setVendorId((Integer) r.get("vendor_id"))
        .setPickupMicros(micros(r.get("pickup_datetime")))
        .setDropoffMicros(micros(r.get("dropoff_datetime")))
        .setPuZoneId((Integer) r.get("pu_zone_id"))
        .setDoZoneId((Integer) r.get("do_zone_id"))
        .setPassengerCount((Integer) r.get("passenger_count"))
        .setDistanceMiles((Double) r.get("trip_distance"))
        .setFareCents((Long) r.get("fare_cents"))
        .setTipCents((Long) r.get("tip_cents"))
        .setTollsCents((Long) r.get("tolls_cents"))
        .setTotalCents((Long) r.get("total_cents"))
        .setPaymentType((Integer) r.get("payment_type"))
        .setUserId(r.get("user_id") == null ? null : r.get("user_id").toString())
        .setSourceFile(r.get("source_file").toString())
        .setSourceRow((Long) r.get("source_row"))
        .build();
  }

  /** Timestamp micros as read back: a long, or an {@code Instant} when the reader applies conversions. */
  private static long micros(Object value) {
    if (value instanceof Instant t) {
      return NewYorkTime.toMicros(t);
    }
    return (Long) value;
  }

  static GenericRecord zoneDaily(ZoneDaily z) {
    GenericData.Record r = new GenericData.Record(ZONE_DAILY);
    r.put("pickup_date", epochDay(z.getPickupDate()));
    r.put("pu_zone_id", z.getPuZoneId());
    r.put("borough", z.getBorough());
    r.put("zone", z.getZone());
    r.put("trips", z.getTrips());
    r.put("passengers", z.getPassengers());
    r.put("distance_miles", z.getDistanceMiles());
    r.put("fare_cents", z.getFareCents());
    r.put("tip_cents", z.getTipCents());
    r.put("total_cents", z.getTotalCents());
    r.put("avg_duration_s", z.getAvgDurationS());
    return r;
  }

  static GenericRecord userDaily(UserDaily u) {
    GenericData.Record r = new GenericData.Record(USER_DAILY);
    r.put("user_id", u.getUserId());
    r.put("pickup_date", epochDay(u.getPickupDate()));
    r.put("trips", u.getTrips());
    r.put("distance_miles", u.getDistanceMiles());
    r.put("total_cents", u.getTotalCents());
    r.put("first_pickup_ts", u.getFirstPickupMicros());
    r.put("last_dropoff_ts", u.getLastDropoffMicros());
    r.put("journeys", u.getJourneys());
    r.put("distinct_zones", u.getDistinctZones());
    return r;
  }

  static GenericRecord anomaly(FareAnomaly a) {
    GenericData.Record r = new GenericData.Record(FARE_ANOMALY);
    r.put("trip_id", a.getTripId());
    r.put("pickup_date", epochDay(a.getPickupDate()));
    r.put("pu_zone_id", a.getPuZoneId());
    r.put("do_zone_id", a.getDoZoneId());
    r.put("distance_miles", a.getDistanceMiles());
    r.put("fare_cents", a.getFareCents());
    r.put("fare_per_mile", a.getFarePerMile());
    r.put("route_median", a.getRouteMedian());
    r.put("route_mad", a.getRouteMad());
    r.put("route_trips", a.getRouteTrips());
    r.put("score", a.getScore());
    return r;
  }

  static GenericRecord rejected(RejectedRecord x) {
    GenericData.Record r = new GenericData.Record(REJECTED);
    r.put("reason", x.getReason());
    r.put("step", x.getStep());
    r.put("source_file", x.getSourceFile());
    r.put("row_number", x.getRowNumber());
    r.put("raw", x.getRaw());
    r.put("detail", x.getDetail());
    return r;
  }
}
