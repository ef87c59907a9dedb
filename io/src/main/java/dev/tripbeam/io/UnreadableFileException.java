package dev.tripbeam.io;

/**
 * A trip file that cannot be opened or lacks the required columns, or (with {@link #rowsRead()} above 0) one that
 * failed part way, after some of its rows were read.
 */
public final class UnreadableFileException extends Exception {
  private static final long serialVersionUID = 1L;
  private final long rowsRead;

  public UnreadableFileException(String message) {
    this(message, null, 0);
  }

  public UnreadableFileException(String message, Throwable cause) {
    this(message, cause, 0);
  }

  UnreadableFileException(String message, Throwable cause, long rowsRead) {
    super(message, cause);
    this.rowsRead = rowsRead;
  }

  /** Rows the file gave before it failed (0: it gave none). */
  public long rowsRead() {
    return rowsRead;
  }
}
