package dev.tripbeam.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the tripbeam main class in a forked JVM on one runner's own classpath (written by runners-config/flink and
 * runners-config/spark), as the main job command does; Flink and Spark never share a classpath.
 */
final class ForkedRun {
  final int exitCode;
  final String stdout;
  final String stderr;
  final Path output;

  private ForkedRun(int exitCode, String stdout, String stderr, Path output) {
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
    this.output = output;
  }

  /** The classpath of a runner, as resolved by its Maven module. */
  static String classpath(String runner) throws IOException {
    String file = System.getProperty("tripbeam.classpath." + runner);
    if (file == null || !Files.exists(Path.of(file))) {
      throw new IllegalStateException(
          "no classpath for " + runner + " at " + file + ": run the tests from the repository root (mvn verify)");
    }
    return Files.readString(Path.of(file)).trim();
  }

  /** Runs {@code TripPipeline} with {@code args} on {@code runner} ({@code flink} or {@code spark}). */
  static ForkedRun main(String runner, Path output, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx2g");
    command.addAll(Arrays.asList(System.getProperty("tripbeam.runner.jvm.flags", "").trim().split("\\s+")));
    command.add("-cp");
    command.add(classpath(runner));
    command.add("dev.tripbeam.pipeline.TripPipeline");
    command.add("--runner=" + (runner.equals("flink") ? "FlinkRunner" : "SparkRunner"));
    if (runner.equals("spark")) {
      command.add("--sparkMaster=local[2]");
    }
    command.addAll(Arrays.asList(args));
    Files.createDirectories(output.getParent());
    File out = Files.createTempFile(output.getParent(), "stdout", ".txt").toFile();
    File err = Files.createTempFile(output.getParent(), "stderr", ".txt").toFile();
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = pb.start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(runner + " run did not finish in 10 minutes");
    }
    return new ForkedRun(
        process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()), output);
  }

  /** The run report written under the output. */
  JsonNode report() throws IOException {
    try (var files = Files.list(output.resolve("_reports"))) {
      Path report = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
      return new ObjectMapper().readTree(report.toFile());
    }
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr (tail)\n"
        + stderr.substring(Math.max(0, stderr.length() - 4000));
  }
}
