package dev.tripbeam.cli;

import dev.tripbeam.options.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The arguments a job runs with: the given ones, the profile's default runner unless {@code --runner} is given, and
 * the runner's settings tripbeam depends on ({@link FlinkArguments}, {@link SparkArguments}); the engine and its REST
 * address for the progress line; whether Spark's partitions are sized to the input when the engine starts.
 */
record CommandLine(String[] args, Engine engine, String restBase, boolean sizesSparkPartitions) {
  static final String DEFAULT_RUNNER_PROPERTY = "tripbeam.defaultRunner";

  static CommandLine of(String[] given) {
    List<String> out = new ArrayList<>(Arrays.asList(given));
    String runner = System.getProperty(DEFAULT_RUNNER_PROPERTY);
    if (Arguments.value(out, "runner") == null && runner != null && !runner.isBlank()) {
      out.add("--runner=" + runner);
    }
    Engine engine = Engine.ofRunnerArgument(Arguments.value(out, "runner"));
    String rest = null;
    boolean sizes = false;
    if (engine == Engine.FLINK) {
      rest = FlinkArguments.add(out);
    } else if (engine == Engine.SPARK) {
      rest = SparkArguments.add(out);
      sizes = SparkArguments.sizesPartitions();
    }
    return new CommandLine(out.toArray(new String[0]), engine, rest, sizes);
  }
}
