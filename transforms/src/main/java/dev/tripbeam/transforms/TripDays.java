package dev.tripbeam.transforms;

import dev.tripbeam.model.NewYorkTime;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Windows of New York pickup days that stay open for the allowed lateness: an element stamped with its pickup
 * instant falls into the window of its New York calendar date, which starts at that date's New York midnight and
 * ends at the next one plus the lateness. So a day's window fires once, when the watermark has passed the day's end
 * by the allowed lateness, with every trip of the day that was not late; a trip the watermark has passed by more is
 * rejected at the source ({@link EventClock}), never dropped here. The day boundaries follow New York's daylight
 * saving time (23- and 25-hour days), as the batch job's {@code pickup_date} does.
 */
public final class TripDays extends NonMergingWindowFn<Object, IntervalWindow> {
  private static final long serialVersionUID = 1L;
  private final Duration lateness;

  private TripDays(Duration lateness) {
    this.lateness = lateness;
  }

  /** Days kept open {@code lateness} past their end. */
  public static TripDays withLateness(Duration lateness) {
    if (lateness.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("the allowed lateness cannot be negative: " + lateness);
    }
    return new TripDays(lateness);
  }

  /**
   * Trips into their days, each day fired every {@code paneInterval} after new trips came (early panes with the running
   * aggregates of the keys they touched, accumulating) and once more, for every key, when the day closes (on time).
   */
  public static <T> Window<T> running(Duration lateness, Duration paneInterval) {
    return Window.<T>into(withLateness(lateness))
        .triggering(
            AfterWatermark.pastEndOfWindow()
                .withEarlyFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(paneInterval)))
        .withAllowedLateness(Duration.ZERO)
        .accumulatingFiredPanes();
  }

  /** The window of the New York day holding {@code timestamp}. */
  public IntervalWindow windowOf(Instant timestamp) {
    int day = NewYorkTime.epochDay(timestamp.getMillis() * 1_000L);
    return new IntervalWindow(new Instant(dayStartMillis(day)), new Instant(dayStartMillis(day + 1)).plus(lateness));
  }

  /** The instant, in milliseconds, of New York midnight at the start of the given epoch day. */
  public static long dayStartMillis(int epochDay) {
    // Midnight exists on every New York day: the clocks change at 2 a.m.
    return Math.floorDiv(NewYorkTime.instants(epochDay * NewYorkTime.MICROS_PER_DAY)[0], 1_000L);
  }

  /** The instant, in milliseconds, when the New York day holding {@code millis} ends. */
  public static long dayEndMillis(long millis) {
    return dayStartMillis(NewYorkTime.epochDay(millis * 1_000L) + 1);
  }

  @Override
  public Collection<IntervalWindow> assignWindows(AssignContext c) {
    return List.of(windowOf(c.timestamp()));
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return other instanceof TripDays d && d.lateness.equals(lateness);
  }

  @Override
  public Coder<IntervalWindow> windowCoder() {
    return IntervalWindow.getCoder();
  }

  @Override
  public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
    throw new UnsupportedOperationException("TripDays cannot be used as a side input's windows");
  }

  @Override
  public boolean assignsToOneWindow() {
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TripDays d && d.lateness.equals(lateness);
  }

  @Override
  public int hashCode() {
    return lateness.hashCode();
  }
}
