package dev.tripbeam.tests;

import dev.tripbeam.cli.TripCommand;
import dev.tripbeam.io.WritePaneFiles;
import dev.tripbeam.model.EnrichedTrip;
import dev.tripbeam.options.OptionChecks;
import dev.tripbeam.options.RunRequest;
import dev.tripbeam.options.TripPipelineOptions;
import dev.tripbeam.run.RunListener;
import dev.tripbeam.run.StreamingRun;
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
    RunRequest request =
        OptionChecks.check(
            PipelineOptionsFactory.fromArgs(TripCommand.withRunnerSettings(args))
                .withValidation()
                .as(TripPipelineOptions.class));
    FileSystems.setDefaultPipelineOptions(request.options());
    StreamingRun.Assembled job = StreamingRun.assemble(request);
    String own = request.layout().streaming();
    job.graph
        .processed()
        .apply("CountTripsPerPane", Combine.globally(Count.<EnrichedTrip>combineFn()).withoutDefaults())
        .apply("FormatTripCount", MapElements.into(TypeDescriptors.strings()).via((Long n) -> Long.toString(n)))
        .apply("WriteTripCounts", WritePaneFiles.text(own + "/revision", own + "/tmp", "txt"));
    System.out.print(StreamingRun.run(request, job, RunListener.NONE).summary);
  }
}
