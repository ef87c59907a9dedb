package dev.tripbeam.io;

import dev.tripbeam.model.CheckedTrip;
import dev.tripbeam.transforms.TripCoders;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Reads the trips of the processed zone back, for incremental runs.
 *
 * <p>Input: globs of processed-trip Parquet files (an empty match gives no trips). Output, one collection of {@link
 * CheckedTrip}s as {@link ReadTripFiles} gives them: a trip per row, with its lineage, and per file a count {@value
 * CheckedTrip#PROCESSED_BEFORE} of its rows (so the trips need no second consumer to be counted).
 * A processed file that cannot be read fails the run: it is the lake's own output, not raw input. Metric: counter
 * {@code history_trips} in namespace {@value #STEP}.
 */
public final class ReadProcessedTrips extends PTransform<PCollection<String>, PCollection<CheckedTrip>> {
  public static final String STEP = "ReadProcessedTrips";

  private ReadProcessedTrips() {}

  public static ReadProcessedTrips of() {
    return new ReadProcessedTrips();
  }

  @Override
  public PCollection<CheckedTrip> expand(PCollection<String> globs) {
    return globs
        .apply("MatchProcessedFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("OpenProcessedFiles", FileIO.readMatches())
        .apply("ParseProcessedTrips", ParDo.of(new ReadFn()))
        .setCoder(TripCoders.checkedTrip());
  }

  private static final class ReadFn extends DoFn<FileIO.ReadableFile, CheckedTrip> {
    private final Counter trips = Metrics.counter(STEP, "history_trips");

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<CheckedTrip> out) throws IOException {
      long rows = 0;
      try (SeekableByteChannel channel = file.openSeekable();
          ParquetReader<GenericRecord> reader =
              AvroParquetReader.<GenericRecord>builder(
                      new ChannelInputFile(channel, file.getMetadata().resourceId().toString()), HadoopConf.copy())
                  .withDataModel(GenericData.get())
                  .build()) {
        GenericRecord record;
        while ((record = reader.read()) != null) {
          out.output(CheckedTrip.trip(AvroRecords.trip(record)));
          rows++;
        }
      }
      trips.inc(rows);
      out.output(CheckedTrip.count(CheckedTrip.PROCESSED_BEFORE, rows));
    }
  }
}
