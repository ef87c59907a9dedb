package dev.tripbeam.run;

/** A problem the user can fix (a missing input, an unreachable broker, a lake that cannot be read); one line. */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }
}
