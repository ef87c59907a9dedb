package dev.tripbeam.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** {@code --reprocess}: dates parsed strictly and sorted, no --input needed, not with --incremental. */
class ReprocessOptionsTest {
  private static TripPipelineOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(TripPipelineOptions.class);
  }

  @Test
  void datesAreParsedSortedAndNeedNoInput() {
    TripPipelineOptions options = parse("--output=/tmp/lake", "--reprocess=2024-03-11, 2024-02-29");
    OptionChecks.check(options);
    assertEquals(List.of("2024-02-29", "2024-03-11"), List.copyOf(OptionChecks.check(options).reprocessDates()));
    assertEquals(List.of(), List.copyOf(OptionChecks.reprocessDates(parse("--output=/tmp/lake").getReprocess())));
  }

  @Test
  void badDatesAndMixedModesAreRefusedInOneLine() {
    IllegalArgumentException notADate =
        assertThrows(
            IllegalArgumentException.class,
            () -> OptionChecks.check(parse("--output=/tmp/lake", "--reprocess=2024-02-30")));
    assertEquals(
        "--reprocess takes pickup dates YYYY-MM-DD, comma-separated (got '2024-02-30')", notADate.getMessage());
    IllegalArgumentException both =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                OptionChecks.check(
                    parse("--output=/tmp/lake", "--reprocess=2024-03-11", "--incremental=true")));
    assertEquals(
        "--reprocess rebuilds dates of the lake and --incremental adds new raw files: give one of them",
        both.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OptionChecks.check(parse("--reprocess=2024-03-11")));
  }
}
