package dev.tripbeam.io;

/** A trip file that cannot be opened or lacks the required columns. */
public final class UnreadableFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnreadableFileException(String message) {
    super(message);
  }

  public UnreadableFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
