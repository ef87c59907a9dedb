package dev.tripbeam.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the raw trips come from. */
public interface TripInputOptions extends PipelineOptions {
  @Description(
      "Raw trip files: a file, glob, folder or S3 prefix (s3://bucket/raw/) on any Beam file system; several "
          + "separated by commas. Folders, prefixes and globs skip hidden and marker files (names starting with '.' or "
          + "'_', such as _SUCCESS and .crc files). When absent (the main job run through Maven without arguments) "
          + "the bundled real sample is used.")
  String getInput();

  void setInput(String value);

  @Description(
      "Format of the input files: auto (per file: .parquet is Parquet, .json/.jsonl/.ndjson JSON lines, anything "
          + "else CSV, gzip by .gz; TLC yellow, green or the app format from the columns), csv, parquet, json, or app "
          + "(Parquet or JSON lines that must have the app format's columns).")
  @Default.String("auto")
  String getInputFormat();

  void setInputFormat(String value);

  @Description(
      "The NYC taxi zone table (LocationID,Borough,Zone,service_zone CSV). Default: the copy bundled with tripbeam.")
  String getZones();

  void setZones(String value);
}
