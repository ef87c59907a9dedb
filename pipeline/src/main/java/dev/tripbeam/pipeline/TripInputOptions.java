package dev.tripbeam.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the raw trips come from. */
public interface TripInputOptions extends PipelineOptions {
  @Description(
      "Raw trip files: a path or glob on any Beam file system; several separated by commas. "
          + "When absent (the main job run through Maven without arguments) the bundled real NYC TLC sample is used.")
  String getInput();

  void setInput(String value);

  @Description(
      "Format of the input files: auto (per file: .parquet is Parquet, anything else CSV, gzip by .gz; yellow or "
          + "green from the columns), csv or parquet.")
  @Default.String("auto")
  String getInputFormat();

  void setInputFormat(String value);

  @Description(
      "The NYC taxi zone table (LocationID,Borough,Zone,service_zone CSV). Default: the copy bundled with tripbeam.")
  String getZones();

  void setZones(String value);
}
