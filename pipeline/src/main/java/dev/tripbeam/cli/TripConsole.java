package dev.tripbeam.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The terminal, kept for tripbeam's own lines, and the run's log file, which takes everything else.
 *
 * <p>{@link #routeEnginesTo(Path)} points {@link System#out} and {@link System#err} at the log file, so the engines'
 * loggers (slf4j-simple for Flink and Direct, log4j2 for Spark), which bind to those streams when they first log, write
 * there; {@link #out()} and {@link #err()} stay the terminal. Without that call (verbose runs, tests in-process) both
 * are the JVM's streams. With {@link #structured()} ({@code --logFormat=json}) every line tripbeam writes becomes one
 * JSON object: time, level, message and the run's context ({@link #context}: run_id, job_id, runner, mode,
 * input_count, lake_root, source), which the command and the pipeline fill in as they learn it. Inputs: none;
 * outputs: the terminal's lines and the log file; options: {@code --verbose} (whether the caller routes at all),
 * {@code --logFormat}.
 */
public final class TripConsole {
  private static final PrintStream RAW_OUT = System.out;
  private static final PrintStream RAW_ERR = System.err;
  private static final Map<String, Object> CONTEXT = new LinkedHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile PrintStream out = RAW_OUT;
  private static volatile PrintStream err = RAW_ERR;
  private static volatile boolean structured;
  private static volatile Path logFile;

  private TripConsole() {}

  /** tripbeam's standard output: the summary. */
  public static PrintStream out() {
    return out;
  }

  /** tripbeam's own messages: notices, progress. */
  public static PrintStream err() {
    return err;
  }

  /** A failure of the run or of its options, on the error stream (level ERROR when structured). */
  public static void error(String line) {
    if (structured) {
      write(RAW_ERR, "ERROR", line);
    } else {
      RAW_ERR.println(line);
    }
  }

  /** The engines' log file of this run, or null when they write to the terminal. */
  public static Path logFile() {
    return logFile;
  }

  /** Makes every later line of {@link #out()}, {@link #err()} and {@link #error} one JSON object. */
  static synchronized void structured() {
    structured = true;
    out = new PrintStream(new JsonLines(RAW_OUT), true, StandardCharsets.UTF_8);
    err = new PrintStream(new JsonLines(RAW_ERR), true, StandardCharsets.UTF_8);
  }

  /** Adds or replaces one field of the run's context (null removes it). */
  public static void context(String key, Object value) {
    synchronized (CONTEXT) {
      if (value == null) {
        CONTEXT.remove(key);
      } else {
        CONTEXT.put(key, value);
      }
    }
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

  private static void write(PrintStream to, String level, String line) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("time", Instant.now().toString());
    record.put("level", level);
    record.put("logger", "tripbeam");
    record.put("message", line.startsWith("tripbeam: ") ? line.substring("tripbeam: ".length()) : line);
    synchronized (CONTEXT) {
      record.putAll(CONTEXT);
    }
    try {
      String json = JSON.writeValueAsString(record);
      synchronized (to) {
        to.println(json);
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Turns the bytes written into one JSON record per line. */
  private static final class JsonLines extends OutputStream {
    private final PrintStream to;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    JsonLines(PrintStream to) {
      this.to = to;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (!text.isBlank()) {
          TripConsole.write(to, "INFO", text.stripTrailing());
        }
      } else {
        line.write(b);
      }
    }
  }
}
