package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RejectedRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The rejected records and the run counts of a {@link CheckedTrip} stream.
 *
 * <p>Input: {@link CheckedTrip}s. Outputs: {@link #REJECTED} the rejected records and {@link #COUNTS} the counts as
 * {@code KV(label, count)}; trips are left to {@link SelectTrips}. Option: a label under which to count the trips
 * (per bundle, as data), for a graph whose every trip consumer reads the same stream. Both outputs are small, so the
 * second output costs little even where a runner ships a multi-output step's whole output once per output.
 */
public final class SelectRejectedAndCounts extends PTransform<PCollection<CheckedTrip>, PCollectionTuple> {
  public static final TupleTag<RejectedRecord> REJECTED = new TupleTag<RejectedRecord>() {};
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<KV<String, Long>>() {};

  private final @Nullable String tripsLabel;

  private SelectRejectedAndCounts(@Nullable String tripsLabel) {
    this.tripsLabel = tripsLabel;
  }

  public static SelectRejectedAndCounts of() {
    return new SelectRejectedAndCounts(null);
  }

  /** Also counts the trips of the stream under {@code label}. */
  public static SelectRejectedAndCounts countingTripsAs(String label) {
    return new SelectRejectedAndCounts(label);
  }

  @Override
  public PCollectionTuple expand(PCollection<CheckedTrip> records) {
    PCollectionTuple out =
        records.apply(
            "SplitRejectedAndCounts",
            ParDo.of(new SplitFn(tripsLabel)).withOutputTags(REJECTED, TupleTagList.of(COUNTS)));
    out.get(REJECTED).setCoder(TripCoders.rejectedRecord());
    out.get(COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return out;
  }

  private static final class SplitFn extends DoFn<CheckedTrip, RejectedRecord> {
    private final @Nullable String tripsLabel;
    private long trips;

    SplitFn(@Nullable String tripsLabel) {
      this.tripsLabel = tripsLabel;
    }

    @StartBundle
    public void start() {
      trips = 0;
    }

    @ProcessElement
    public void process(@Element CheckedTrip record, MultiOutputReceiver out) {
      switch (record.getKind()) {
        case REJECTED -> out.get(REJECTED).output(record.getRejected());
        case COUNT -> out.get(COUNTS).output(KV.of(record.getLabel(), record.getCount()));
        case TRIP -> trips++;
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      if (tripsLabel != null && trips > 0) {
        c.output(COUNTS, KV.of(tripsLabel, trips), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
      }
    }
  }
}
