package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;

/**
 * The New York pickup dates a run's trips fall on: the partitions an incremental run recomputes.
 *
 * <p>Input: {@link CheckedTrip}s (rejected records and counts have no date and are ignored). Output: each pickup
 * date ({@code YYYY-MM-DD}) of a trip, once. Each bundle sends its set of dates, not a date per trip.
 */
public final class SelectTouchedDates extends PTransform<PCollection<CheckedTrip>, PCollection<String>> {
  private SelectTouchedDates() {}

  public static SelectTouchedDates of() {
    return new SelectTouchedDates();
  }

  @Override
  public PCollection<String> expand(PCollection<CheckedTrip> records) {
    return records
        .apply("CollectDatesPerBundle", ParDo.of(new DatesFn()))
        .setCoder(StringUtf8Coder.of())
        .apply("KeepDistinctDates", Distinct.create());
  }

  private static final class DatesFn extends DoFn<CheckedTrip, String> {
    private transient Set<String> dates;

    @StartBundle
    public void start() {
      dates = new HashSet<>();
    }

    @ProcessElement
    public void process(@Element CheckedTrip record) {
      if (record.isTrip()) {
        dates.add(record.trip().getPickupDate());
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext context) {
      for (String date : dates) {
        context.output(date, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }
  }
}
