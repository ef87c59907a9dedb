package dev.tripbeam.options;

import org.apache.beam.sdk.PipelineRunner;

/**
 * The engine a runner class runs on, known by the runner's class name (the runners are not on this module's compile
 * classpath: the Maven profile puts one on the runtime classpath). The one place that tells runners apart.
 */
public enum Engine {
  FLINK("org.apache.beam.runners.flink."),
  SPARK("org.apache.beam.runners.spark."),
  DIRECT("org.apache.beam.runners.direct."),
  OTHER("");

  private final String runnerPackage;

  Engine(String runnerPackage) {
    this.runnerPackage = runnerPackage;
  }

  @SuppressWarnings("rawtypes")
  public static Engine of(Class<? extends PipelineRunner> runner) {
    for (Engine e : values()) {
      if (e != OTHER && runner.getName().startsWith(e.runnerPackage)) {
        return e;
      }
    }
    return OTHER;
  }

  /** The engine of a {@code --runner} value: a simple name ({@code FlinkRunner}) or a class name. */
  public static Engine ofRunnerArgument(String runner) {
    if (runner == null) {
      return OTHER;
    }
    String simple = runner.substring(runner.lastIndexOf('.') + 1);
    return switch (simple) {
      case "FlinkRunner" -> FLINK;
      case "SparkRunner" -> SPARK;
      case "DirectRunner" -> DIRECT;
      default -> OTHER;
    };
  }
}
