package dev.tripbeam.options;


/**
 * All options of the tripbeam job, batch and streaming; runner options come from the runner's own interfaces. Checked
 * once, by {@link OptionChecks}.
 */
public interface TripPipelineOptions
    extends TripInputOptions,
        TripOutputOptions,
        TripCatalogOptions,
        TripS3Options,
        TripServingOptions,
        TripStreamingOptions,
        TripConsoleOptions,
        TripMonitoringOptions {
  /** System property with the bundled sample glob, set by the Maven main-job configuration. */
  String SAMPLE_INPUT_PROPERTY = "tripbeam.sampleInput";

  /** System property with the output used for the bundled sample run. */
  String SAMPLE_OUTPUT_PROPERTY = "tripbeam.sampleOutput";
}
