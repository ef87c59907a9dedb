package dev.tripbeam.model;

/**
 * Why a record was rejected. Validation rules are checked in declaration order (after {@link #UNREADABLE_FILE}
 * and {@link #TRUNCATED_FILE}, which are file reasons); the first rule that fails is the record's reason.
 */
public enum RejectReason {
  UNREADABLE_FILE("unreadable_file"),
  /** A file that failed part way: its rows read before the failure are kept, this record stands for the rest. */
  TRUNCATED_FILE("truncated_file"),
  UNPARSEABLE("unparseable"),
  /** An app-format trip without a user: it would be missing from user_daily. */
  MISSING_USER_ID("missing_user_id"),
  MISSING_PICKUP_OR_DROPOFF_TIME("missing_pickup_or_dropoff_time"),
  /** A New York wall-clock time that never happened: the hour skipped when clocks spring forward. */
  INVALID_LOCAL_TIME("invalid_local_time"),
  MISSING_ZONE("missing_zone"),
  UNKNOWN_ZONE("unknown_zone"),
  DROPOFF_NOT_AFTER_PICKUP("dropoff_not_after_pickup"),
  DURATION_OVER_24H("duration_over_24h"),
  NEGATIVE_DISTANCE("negative_distance"),
  IMPLAUSIBLE_DISTANCE("implausible_distance"),
  NEGATIVE_AMOUNT("negative_amount"),
  IMPLAUSIBLE_SPEED("implausible_speed"),
  /**
   * Not a validation rule: a copy of a trip id whose content differs from the copy deduplication kept (see
   * {@code DeduplicateTrips}).
   */
  CONFLICTING_DUPLICATE("conflicting_duplicate"),
  /**
   * Not a validation rule: a valid trip that reached a streaming job after its pickup day had closed (the watermark
   * past the day's end plus the allowed lateness), so it can no longer be counted in that day's outputs.
   */
  LATE_TRIP("late_trip");

  private final String code;

  RejectReason(String code) {
    this.code = code;
  }

  /** The code written to the rejected zone and the run report. */
  public String code() {
    return code;
  }
}
