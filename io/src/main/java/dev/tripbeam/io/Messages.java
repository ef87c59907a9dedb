package dev.tripbeam.io;

import org.checkerframework.checker.nullness.qual.Nullable;

/** The one-line forms of failures that tripbeam shows a user: the root cause, a message's first line. */
public final class Messages {
  private Messages() {}

  /** The innermost cause as {@code SimpleClassName: message} (the message may hold several lines). */
  public static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** The first line of {@code message}, or {@code whenNone} when there is no message. */
  public static String firstLine(@Nullable String message, String whenNone) {
    if (message == null) {
      return whenNone;
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
