package dev.tripbeam.run;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The Beam counters ({@code Metrics.counter}) of a finished run, as its engine reports them. */
final class EngineCounters {
  private EngineCounters() {}

  /**
   * The counters summed over the steps that count them, for the attempts that succeeded; empty where the runner keeps
   * none.
   */
  static Map<String, Long> of(PipelineResult result) {
    Map<String, Long> counters = new TreeMap<>();
    try {
      for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
        counters.merge(c.getName().getNamespace() + "." + c.getName().getName(), c.getAttempted(), Long::sum);
      }
    } catch (UnsupportedOperationException e) {
      return Map.of();
    }
    return counters;
  }
}
