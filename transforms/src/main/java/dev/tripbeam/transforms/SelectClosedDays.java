package dev.tripbeam.transforms;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Keeps the final result of each closed day from a day-windowed aggregate that also fires running (early) panes.
 *
 * <p>Input: the output of a grouping in {@link TripDays} windows fired early and on time, accumulating (every key fires
 * its whole day once more when the day closes). Output: the on-time pane's elements only, in the same windows,
 * triggered by the watermark alone, so that a writer after it groups each closed day once, whole.
 */
public final class SelectClosedDays<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private SelectClosedDays() {}

  public static <T> SelectClosedDays<T> of() {
    return new SelectClosedDays<>();
  }

  @Override
  public PCollection<T> expand(PCollection<T> panes) {
    return panes
        .apply("KeepOnTimePanes", ParDo.of(new OnTimeFn<T>()))
        .setCoder(panes.getCoder())
        .apply(
            "FireWhenClosed",
            Window.<T>configure()
                .triggering(AfterWatermark.pastEndOfWindow())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes());
  }

  private static final class OnTimeFn<T> extends DoFn<T, T> {
    @ProcessElement
    public void process(@Element T element, PaneInfo pane, OutputReceiver<T> out) {
      if (pane.getTiming() == PaneInfo.Timing.ON_TIME) {
        out.output(element);
      }
    }
  }
}
