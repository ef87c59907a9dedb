package dev.tripbeam.model;

import com.google.auto.value.AutoValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One element of the hot path from reading to deduplication: a valid {@link Trip}, a {@link RejectedRecord}, or a
 * run count (a label and a number). Rejections and counts travel in the trips' own stream so that the steps there
 * have one output each (on Flink's batch translation every extra output or consumer is another serialized copy of
 * every trip).
 *
 * <p>For a trip, {@code count} is how many copies of it the element stands for (1 until deduplication merges them).
 */
@AutoValue
public abstract class CheckedTrip {
  /** Label of the rows read from raw files. */
  public static final String READ_ROWS = "read_rows";

  /** Label of the copies deduplication removed whose content equals the kept copy's. */
  public static final String COPIES_REMOVED = "duplicates.copies_removed";

  /** Label of the copies deduplication rejected because their content differs from the kept copy's. */
  public static final String CONFLICTING_COPIES = "duplicates.conflicting";

  /** Label of the processed trips an incremental run read back from the lake (those of the dates it recomputes). */
  public static final String PROCESSED_BEFORE = "processed_before";

  /** Label of the trips a reprocess run read on dates other than those it rebuilds (left as the lake has them). */
  public static final String OUTSIDE_DATES = "outside_reprocessed_dates";

  /**
   * Prefix of the label counting one file's valid trips picked up on one New York date: {@code
   * file_date:YYYY-MM-DD:<url-encoded path>} (the manifest records which raw files hold which dates).
   */
  public static final String FILE_DATE_PREFIX = "file_date:";

  /** Prefix of the label counting one file's failure: {@code file_error:<reason>:<url-encoded path>}. */
  public static final String FILE_ERROR_PREFIX = "file_error:";

  /** What an element holds. */
  public enum Kind {
    TRIP,
    REJECTED,
    COUNT
  }

  public abstract Kind getKind();

  public abstract @Nullable Trip getTrip();

  public abstract @Nullable RejectedRecord getRejected();

  public abstract @Nullable String getLabel();

  public abstract long getCount();

  public static CheckedTrip trip(Trip trip) {
    return trip(trip, 1);
  }

  public static CheckedTrip trip(Trip trip, long copies) {
    return new AutoValue_CheckedTrip(Kind.TRIP, trip, null, null, copies);
  }

  public static CheckedTrip rejected(RejectedRecord rejected) {
    return new AutoValue_CheckedTrip(Kind.REJECTED, null, rejected, null, 1);
  }

  public static CheckedTrip count(String label, long count) {
    return new AutoValue_CheckedTrip(Kind.COUNT, null, null, label, count);
  }

  public boolean isTrip() {
    return getKind() == Kind.TRIP;
  }

  /** The trip; only for {@link Kind#TRIP}. */
  public Trip trip() {
    Trip t = getTrip();
    if (t == null) {
      throw new IllegalStateException("not a trip: " + getKind());
    }
    return t;
  }
}
