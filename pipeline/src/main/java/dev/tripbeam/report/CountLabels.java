package dev.tripbeam.report;

/**
 * The labels of the run's counts file ({@code label<TAB>count} lines) that the job module writes; the steps' own labels
 * ({@code read_rows}, {@code duplicates.*}, {@code file_error:…}) are {@link dev.tripbeam.model.CheckedTrip}'s.
 */
public final class CountLabels {
  /** {@code rejected.<reason>}: the rejected records of one reason. */
  public static final String REJECTED_PREFIX = "rejected.";
  /** {@code touched_date:YYYY-MM-DD}: a pickup date an incremental run recomputes. */
  public static final String TOUCHED_DATE_PREFIX = "touched_date:";
  /** {@code rows.<zone>}: the rows a zone's staged files hold, from their footers (not written by the graph). */
  public static final String ROWS_PREFIX = "rows.";

  private CountLabels() {}
}
