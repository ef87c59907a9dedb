package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RawTrip;
import dev.tripbeam.model.RejectedRecord;
import dev.tripbeam.model.Zone;
import java.io.Serializable;
import java.util.Collection;
import java.util.function.Supplier;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Types and validates raw trip records.
 *
 * <p>Input: {@link RawTrip}. Output, one collection: {@link CheckedTrip}s holding either a typed valid trip or a
 * {@link RejectedRecord} carrying the first failed rule of {@link TripRules} (in {@link dev.tripbeam.model.RejectReason}
 * order), the step name {@value #STEP} and the raw input. Option: the known zone ids (the zone table's, fixed when the
 * graph is built: a side input would keep Flink from chaining this step to its neighbours), for {@code unknown_zone}.
 * Metrics: counters {@code valid} and {@code rejected_<reason>} in namespace {@value #STEP}. The same checks run
 * inside {@code ReadTripFiles} through {@link Checker}, where a Parquet row's raw text is rendered only on rejection.
 */
public final class ValidateTrips extends PTransform<PCollection<RawTrip>, PCollection<CheckedTrip>> {
  public static final String STEP = "ValidateTrips";

  private final Checker checker;

  private ValidateTrips(Checker checker) {
    this.checker = checker;
  }

  public static ValidateTrips of(TripRules rules, Collection<Zone> zones) {
    return new ValidateTrips(Checker.of(rules, zones));
  }

  @Override
  public PCollection<CheckedTrip> expand(PCollection<RawTrip> input) {
    return input.apply("CheckTripRules", ParDo.of(new CheckFn(checker))).setCoder(TripCoders.checkedTrip());
  }

  /** The rules and the known zones, applied to one raw record at a time. */
  public static final class Checker implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TripRules rules;
    private final Zone[] zones;

    private Checker(TripRules rules, Zone[] zones) {
      this.rules = rules;
      this.zones = zones;
    }

    public static Checker of(TripRules rules, Collection<Zone> zones) {
      return new Checker(rules, Zone.byLocationId(zones));
    }

    private boolean isKnown(int zoneId) {
      return Zone.lookup(zones, zoneId) != null;
    }

    /**
     * The pickup instant, in milliseconds, of {@code raw} when the rules find it a valid trip, else null; counts
     * nothing (for a stream source that stamps records before they are checked in the job).
     */
    public @Nullable Long validPickupMillis(RawTrip raw) {
      TripRules.Outcome outcome = rules.check(raw, this::isKnown);
      return outcome.isValid() ? Math.floorDiv(outcome.getTrip().getPickupMicros(), 1_000L) : null;
    }

    /**
     * A valid trip or the rejection of {@code raw}; {@code rawText} is asked for the untouched input only when the
     * record is rejected. Counts into {@code valid} and {@code rejected_<reason>} of namespace {@value #STEP}.
     */
    public CheckedTrip check(RawTrip raw, Supplier<String> rawText, Counter valid) {
      TripRules.Outcome outcome = rules.check(raw, this::isKnown);
      if (outcome.isValid()) {
        valid.inc();
        return CheckedTrip.trip(outcome.getTrip());
      }
      Metrics.counter(STEP, "rejected_" + outcome.getReason().code()).inc();
      return CheckedTrip.rejected(
          RejectedRecord.of(
              outcome.getReason(), STEP, raw.getSourceFile(), raw.getRowNumber(), rawText.get(), outcome.getDetail()));
    }

    /**
     * As {@link #check(RawTrip, Supplier, Counter)} for a row a reader has typed: the values as they are when the
     * rules find a valid trip; a row without values, or one the rules reject, is checked from its text, so rejections
     * and their details are those of the text.
     */
    public CheckedTrip check(TypedRow row, Supplier<String> rawText, Counter valid) {
      TripValues values = row.values();
      if (values != null) {
        TripRules.Outcome outcome = rules.checkValues(row.identity(), values, this::isKnown);
        if (outcome.isValid()) {
          valid.inc();
          return CheckedTrip.trip(outcome.getTrip());
        }
      }
      return check(row.text(), rawText, valid);
    }

    /** The counter {@link #check} counts valid trips into. */
    public static Counter validCounter() {
      return Metrics.counter(STEP, "valid");
    }
  }

  /** One row as a reader of typed files gives it: its identity, its values when typed, its text on demand. */
  public interface TypedRow {
    /** The row's source file, row number, source, trip and user id (its other fields may be absent). */
    RawTrip identity();

    /** The row's values, or null when they are to be read from its text. */
    @Nullable TripValues values();

    /** The whole row as text; may render it. */
    RawTrip text();
  }

  private static final class CheckFn extends DoFn<RawTrip, CheckedTrip> {
    private final Checker checker;
    private final Counter valid = Checker.validCounter();

    CheckFn(Checker checker) {
      this.checker = checker;
    }

    @ProcessElement
    public void process(@Element RawTrip raw, OutputReceiver<CheckedTrip> out) {
      out.output(checker.check(raw, raw::getRaw, valid));
    }
  }
}
