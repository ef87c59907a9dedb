package dev.tripbeam.serving;

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
}
