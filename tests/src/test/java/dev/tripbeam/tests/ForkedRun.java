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
    return run(runner, output, List.of(), args);
  }

  /**
   * Runs {@code TripPipeline} on {@code runner} with extra JVM flags; {@code output} is the local output (or, for an
   * S3 output, a local folder whose parent takes the process logs).
   */
  static ForkedRun run(String runner, Path output, List<String> jvmFlags, String... args) throws Exception {
    return command(start(runner, jvmFlags, args), output);
  }

  /** Runs any prepared command to its end (10 minutes at most), its logs next to {@code output}. */
  static ForkedRun command(ProcessBuilder command, Path output) throws Exception {
    Files.createDirectories(output.getParent());
    File out = Files.createTempFile(output.getParent(), "stdout", ".txt").toFile();
    File err = Files.createTempFile(output.getParent(), "stderr", ".txt").toFile();
    Process process = command.redirectOutput(out).redirectError(err).start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(command.command().get(0) + " did not finish in 10 minutes");
    }
    return new ForkedRun(
        process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()), output);
  }

  /** The process of a run, not yet started (tests that stop it part way start it themselves). */
  static ProcessBuilder start(String runner, List<String> jvmFlags, String... args) throws IOException {
    return start(runner, "dev.tripbeam.cli.TripCommand", "", jvmFlags, args);
  }

  /**
   * The process of {@code mainClass} on {@code runner}'s classpath with {@code extraClasspath} in front (empty for
   * none), not yet started.
   */
  static ProcessBuilder start(
      String runner, String mainClass, String extraClasspath, List<String> jvmFlags, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx2g");
    command.addAll(Arrays.asList(System.getProperty("tripbeam.runner.jvm.flags", "").trim().split("\\s+")));
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(extraClasspath.isEmpty() ? classpath(runner) : extraClasspath + File.pathSeparator + classpath(runner));
    command.add(mainClass);
    command.add("--runner=" + (runner.equals("flink") ? "FlinkRunner" : "SparkRunner"));
    if (runner.equals("spark")) {
      command.add("--sparkMaster=local[2]");
    }
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb;
  }

  /** The run report written under the output (the only one there). */
  JsonNode report() throws IOException {
    return report(output);
  }

  /** The only run report under an output. */
  static JsonNode report(Path output) throws IOException {
    try (var files = Files.list(output.resolve("_reports"))) {
      List<Path> reports = files.filter(f -> f.toString().endsWith(".json")).toList();
      if (reports.size() != 1) {
        throw new IllegalStateException("expected one report in " + output + ", found " + reports);
      }
      return new ObjectMapper().readTree(reports.get(0).toFile());
    }
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr (tail)\n"
        + stderr.substring(Math.max(0, stderr.length() - 4000));
  }
}
