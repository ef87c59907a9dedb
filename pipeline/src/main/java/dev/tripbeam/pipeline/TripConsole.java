package dev.tripbeam.pipeline;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The terminal, kept for tripbeam's own lines, and the run's log file, which takes everything else.
 *
 * <p>{@link #routeEnginesTo(Path)} points {@link System#out} and {@link System#err} at the log file, so the engines'
 * loggers (slf4j-simple for Flink and Direct, log4j2 for Spark), which bind to those streams when they first log, write
 * there; {@link #out()} and {@link #err()} stay the terminal. Without that call (verbose runs, tests in-process) both
 * are the JVM's streams. Inputs: none; outputs: the log file; options: {@code --verbose} decides whether the caller
 * routes at all.
 */
public final class TripConsole {
  private static final PrintStream OUT = System.out;
  private static final PrintStream ERR = System.err;
  private static volatile Path logFile;

  private TripConsole() {}

  /** tripbeam's standard output: the summary. */
  public static PrintStream out() {
    return OUT;
  }

  /** tripbeam's own messages: errors, notices, progress. */
  public static PrintStream err() {
    return ERR;
  }

  /** The engines' log file of this run, or null when they write to the terminal. */
  public static Path logFile() {
    return logFile;
  }

  /**
   * Sends the JVM's standard streams, and so every engine's log, to {@code file} (created with its folders).
   *
   * @throws IOException when the file cannot be created
   */
  static synchronized void routeEnginesTo(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    PrintStream log = new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
    System.setOut(log);
    System.setErr(log);
    logFile = file.toAbsolutePath();
  }
}
