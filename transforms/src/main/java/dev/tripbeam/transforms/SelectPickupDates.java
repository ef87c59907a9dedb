package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keeps the trips picked up on some New York dates, and counts the others as data (a run that rebuilds those dates
 * re-reads raw files that also hold other dates, which it leaves as the lake has them).
 *
 * <p>Input and output: {@link CheckedTrip}s. Trips on one of the dates, rejected records and counts pass; each
 * bundle adds one count {@value CheckedTrip#OUTSIDE_DATES} of the trips it dropped. Options: the dates ({@code YYYY-MM-DD}).
 */
public final class SelectPickupDates extends PTransform<PCollection<CheckedTrip>, PCollection<CheckedTrip>> {
  private final TreeSet<String> dates;

  private SelectPickupDates(Set<String> dates) {
    this.dates = new TreeSet<>(dates);
  }

  public static SelectPickupDates of(Set<String> dates) {
    if (dates.isEmpty()) {
      throw new IllegalArgumentException("no pickup date to keep");
    }
    return new SelectPickupDates(dates);
  }

  @Override
  public PCollection<CheckedTrip> expand(PCollection<CheckedTrip> records) {
    return records.apply("KeepTripsOnDates", ParDo.of(new KeepFn(dates))).setCoder(TripCoders.checkedTrip());
  }

  private static final class KeepFn extends DoFn<CheckedTrip, CheckedTrip> {
    private final TreeSet<String> dates;
    private transient long outside;

    KeepFn(TreeSet<String> dates) {
      this.dates = dates;
    }

    @StartBundle
    public void start() {
      outside = 0;
    }

    @ProcessElement
    public void process(@Element CheckedTrip record, OutputReceiver<CheckedTrip> out) {
      if (record.isTrip() && !dates.contains(record.trip().getPickupDate())) {
        outside++;
      } else {
        out.output(record);
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext context) {
      if (outside > 0) {
        context.output(
            CheckedTrip.count(CheckedTrip.OUTSIDE_DATES, outside), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }
  }
}
