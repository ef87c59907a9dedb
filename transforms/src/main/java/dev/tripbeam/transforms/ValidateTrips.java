package dev.tripbeam.transforms;

import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Trip;
import dev.tripbeam.model.Zone;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Types and validates raw trip records.
 *
 * <p>Input: {@link RawTrip}. Outputs: {@link #VALID} typed {@link Trip}s and {@link #REJECTED} records carrying
 * the first failed rule of {@link TripRules} (in {@link dev.tripbeam.model.RejectReason} order), the step name
 * {@value #STEP} and the raw input. Side input: the zone table, keyed by location id, for {@code unknown_zone}.
 * Metrics: counters {@code valid} and {@code rejected_<reason>} in namespace {@value #STEP}.
 */
public final class ValidateTrips extends PTransform<PCollection<RawTrip>, PCollectionTuple> {
  public static final String STEP = "ValidateTrips";
  public static final TupleTag<Trip> VALID = new TupleTag<Trip>() {};
  public static final TupleTag<RejectedRecord> REJECTED = new TupleTag<RejectedRecord>() {};

  private final TripRules rules;
  private final PCollectionView<Map<Integer, Zone>> zones;

  private ValidateTrips(TripRules rules, PCollectionView<Map<Integer, Zone>> zones) {
    this.rules = rules;
    this.zones = zones;
  }

  public static ValidateTrips of(TripRules rules, PCollectionView<Map<Integer, Zone>> zones) {
    return new ValidateTrips(rules, zones);
  }

  @Override
  public PCollectionTuple expand(PCollection<RawTrip> input) {
    PCollectionTuple out =
        input.apply(
            "CheckTripRules",
            ParDo.of(new CheckFn(rules, zones))
                .withSideInputs(zones)
                .withOutputTags(VALID, TupleTagList.of(REJECTED)));
    out.get(VALID).setCoder(TripCoders.trip());
    return out;
  }

  private static final class CheckFn extends DoFn<RawTrip, Trip> {
    private final TripRules rules;
    private final PCollectionView<Map<Integer, Zone>> zones;
    private final Counter valid = Metrics.counter(STEP, "valid");

    CheckFn(TripRules rules, PCollectionView<Map<Integer, Zone>> zones) {
      this.rules = rules;
      this.zones = zones;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      RawTrip raw = c.element();
      Map<Integer, Zone> zoneTable = c.sideInput(zones);
      TripRules.Outcome outcome = rules.check(raw, zoneTable::containsKey);
      if (outcome.isValid()) {
        valid.inc();
        c.output(outcome.getTrip());
      } else {
        Metrics.counter(STEP, "rejected_" + outcome.getReason().code()).inc();
        c.output(
            REJECTED,
            RejectedRecord.of(
                outcome.getReason(), STEP, raw.getSourceFile(), raw.getRowNumber(), raw.getRaw(), outcome.getDetail()));
      }
    }
  }
}
