package dev.tripbeam.transforms;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.model.RejectedRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The rejected records and the run counts of a {@link CheckedTrip} stream.
 *
 * <p>Input: {@link CheckedTrip}s. Outputs: {@link #REJECTED} the rejected records and {@link #COUNTS} the counts as
 * {@code KV(label, count)}; trips are left to {@link SelectTrips}. Both outputs are small, so the second output costs
 * little even where a runner ships a multi-output step's whole output once per output.
 */
public final class SelectRejectedAndCounts extends PTransform<PCollection<CheckedTrip>, PCollectionTuple> {
  public static final TupleTag<RejectedRecord> REJECTED = new TupleTag<RejectedRecord>() {};
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<KV<String, Long>>() {};

  private SelectRejectedAndCounts() {}

  public static SelectRejectedAndCounts of() {
    return new SelectRejectedAndCounts();
  }

  @Override
  public PCollectionTuple expand(PCollection<CheckedTrip> records) {
    PCollectionTuple out =
        records.apply(
            "SplitRejectedAndCounts",
            ParDo.of(new SplitFn()).withOutputTags(REJECTED, TupleTagList.of(COUNTS)));
    out.get(REJECTED).setCoder(TripCoders.rejectedRecord());
    out.get(COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return out;
  }

  private static final class SplitFn extends DoFn<CheckedTrip, RejectedRecord> {
    @ProcessElement
    public void process(@Element CheckedTrip record, MultiOutputReceiver out) {
      switch (record.getKind()) {
        case REJECTED -> out.get(REJECTED).output(record.getRejected());
        case COUNT -> out.get(COUNTS).output(KV.of(record.getLabel(), record.getCount()));
        case TRIP -> {}
      }
    }
  }
}
