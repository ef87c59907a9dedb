package dev.tripbeam.run;

/**
 * What a run tells the command line while it goes: its phase while the engine is not running, lines for the person at
 * the terminal, the fields of its log context, and the moment before the engine starts (when runner settings that
 * depend on the input are made).
 */
public interface RunListener {
  /** A listener that hears nothing (tests, embedded use). */
  RunListener NONE = new RunListener() {};

  /** What the run does now, for the progress line ({@code listing the inputs}, {@code publishing the outputs}). */
  default void phase(String phase) {}

  /** A notice for the person running the command. */
  default void line(String line) {}

  /** One field of the run's log context ({@code mode}, {@code input_count}). */
  default void context(String key, Object value) {}

  /** The engine is about to start on {@code rawFiles} raw files. */
  default void engineStarting(int rawFiles) {}
}
