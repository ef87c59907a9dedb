package dev.tripbeam.pipeline;

import dev.tripbeam.io.WritePaneFiles;
import dev.tripbeam.model.EnrichedTrip;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A later version of the streaming job, for the savepoint test: tripbeam's graph and one more step (the processed
 * trips counted per pane, written to {@code _streaming/revision/}), started on the command line's options as tripbeam
 * starts its own. Its savepoint-compatible with the job it replaces: it changes no step that holds state.
 */
public final class RevisedStreamingJob {
  private RevisedStreamingJob() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(TripPipelineOptions.class);
    TripPipelineOptions options =
        PipelineOptionsFactory.fromArgs(TripCommand.commandLine(args).args())
            .withValidation()
            .as(TripPipelineOptions.class);
    TripPipelineOptions.validate(options);
    FileSystems.setDefaultPipelineOptions(options);
    TripStreaming.Assembled job = TripStreaming.assemble(options);
    String own = options.getOutput() + "/" + TripStreaming.STREAMING_DIR;
    job.graph
        .processed
        .apply("CountTripsPerPane", Combine.globally(Count.<EnrichedTrip>combineFn()).withoutDefaults())
        .apply("FormatTripCount", MapElements.into(TypeDescriptors.strings()).via((Long n) -> Long.toString(n)))
        .apply("WriteTripCounts", WritePaneFiles.text(own + "/revision", own + "/tmp", "txt"));
    System.out.print(TripStreaming.run(options, job, phase -> {}).summary);
  }
}
