package dev.tripbeam.serving;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/** What a load has done so far, counted by every connection's worker at once. */
final class LoadCounts {
  final LongAdder datesLoaded = new LongAdder();
  final LongAdder datesRemoved = new LongAdder();
  final LongAdder inserted = new LongAdder();
  final LongAdder updated = new LongAdder();
  final LongAdder unchanged = new LongAdder();
  final LongAdder deleted = new LongAdder();
  int connections;

  ServingLoader.Result result(String status, String cause, Instant start) {
    return new ServingLoader.Result(
        status,
        cause,
        datesLoaded.intValue(),
        datesRemoved.intValue(),
        inserted.sum(),
        updated.sum(),
        unchanged.sum(),
        deleted.sum(),
        connections,
        Duration.between(start, Instant.now()).toMillis() / 1000.0);
  }
}
