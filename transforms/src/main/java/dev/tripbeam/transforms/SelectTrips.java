package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.Trip;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The trips of a {@link CheckedTrip} stream.
 *
 * <p>Input: {@link CheckedTrip}s. Output: the {@link Trip} of each trip element (rejected records and counts are
 * left to {@link SelectRejectedAndCounts}).
 */
public final class SelectTrips extends PTransform<PCollection<CheckedTrip>, PCollection<Trip>> {
  private SelectTrips() {}

  public static SelectTrips of() {
    return new SelectTrips();
  }

  @Override
  public PCollection<Trip> expand(PCollection<CheckedTrip> records) {
    return records.apply("KeepTrips", ParDo.of(new KeepFn())).setCoder(TripCoders.trip());
  }

  private static final class KeepFn extends DoFn<CheckedTrip, Trip> {
    @ProcessElement
    public void process(@Element CheckedTrip record, OutputReceiver<Trip> out) {
      if (record.isTrip()) {
        out.output(record.trip());
      }
    }
  }
}
