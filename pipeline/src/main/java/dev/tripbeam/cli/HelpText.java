package dev.tripbeam.cli;

import dev.tripbeam.io.InputFormat;
import dev.tripbeam.options.TripCatalogOptions;
import dev.tripbeam.options.TripConsoleOptions;
import dev.tripbeam.options.TripInputOptions;
import dev.tripbeam.options.TripMonitoringOptions;
import dev.tripbeam.options.TripOutputOptions;
import dev.tripbeam.options.TripS3Options;
import dev.tripbeam.options.TripServingOptions;
import dev.tripbeam.options.TripStreamingOptions;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The text of {@code --help}: a usage line, tripbeam's options by concern (read from the option interfaces' own
 * descriptions and defaults), the Beam S3 options tripbeam relies on, then the runner with the profile's default and
 * where the runner's and Beam's own options are listed.
 */
final class HelpText {
  /** tripbeam's option interfaces, in the order they are shown. */
  static final List<Class<?>> SECTIONS =
      List.of(
          TripInputOptions.class,
          TripOutputOptions.class,
          TripCatalogOptions.class,
          TripS3Options.class,
          TripServingOptions.class,
          TripStreamingOptions.class,
          TripConsoleOptions.class,
          TripMonitoringOptions.class);

  private HelpText() {}

  static String render(String defaultRunner) {
    StringBuilder s = new StringBuilder();
    s.append("usage: tripbeam [--input=PATHS] [--output=LAKE] [options]\n");
    s.append("       tripbeam --streaming --kafkaBootstrapServers=HOST:PORT --output=LAKE [options]\n");
    s.append("       (through Maven: mvn -q compile exec:exec -Dexec.args=\"--input=PATHS --output=LAKE ...\")\n\n");
    s.append("Validates, deduplicates, enriches and aggregates raw trip files into a lake of Iceberg tables with a run "
        + "report.\n");
    s.append("Without --input, the bundled real sample is read. Exit codes: 0 ok, 1 the run failed or did not "
        + "reconcile, 2 bad options, 3 the lake is published but the serving database could not be loaded.\n");
    s.append("Input formats (--inputFormat): ");
    s.append(String.join(", ", Arrays.stream(InputFormat.values()).map(HelpText::lower).toList()));
    s.append(".\n");
    for (Class<?> section : SECTIONS) {
      s.append('\n').append(title(section)).append(":\n");
      for (Method getter : getters(section)) {
        option(s, name(getter), getter.getAnnotation(Description.class).value(), defaultOf(getter));
      }
    }
    s.append("\nS3 (Beam's AWS options):\n");
    option(s, "awsRegion", "AWS region of the buckets, e.g. us-east-1.", "the provider chain's region");
    option(s, "endpoint", "S3 endpoint override, e.g. http://127.0.0.1:9000 for a local S3 server.", null);
    s.append("\nRunner:\n");
    option(
        s,
        "runner",
        "FlinkRunner (embedded Flink, or a cluster with --flinkMaster=HOST:PORT), SparkRunner (--sparkMaster) or "
            + "DirectRunner; only the runner the build's Maven profile chose is on the classpath.",
        defaultRunner == null || defaultRunner.isBlank() ? "none" : defaultRunner + " (the build's profile)");
    s.append("\nThe runner's and Beam's own options: --help=org.apache.beam.runners.flink.FlinkPipelineOptions, ")
        .append("--help=org.apache.beam.runners.spark.SparkPipelineOptions, --help=PipelineOptions.\n");
    return s.toString();
  }

  /** The getters an interface declares itself, each an option, in name order. */
  static List<Method> getters(Class<?> section) {
    List<Method> out = new ArrayList<>();
    for (Method m : section.getDeclaredMethods()) {
      if ((m.getName().startsWith("get") || m.getName().startsWith("is"))
          && m.getParameterCount() == 0
          && m.isAnnotationPresent(Description.class)) {
        out.add(m);
      }
    }
    out.sort(Comparator.comparing(HelpText::name));
    return out;
  }

  static String name(Method getter) {
    String n = getter.getName().replaceFirst("^(get|is)", "");
    return Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }

  private static String title(Class<?> section) {
    return section.getSimpleName().replace("Trip", "").replace("Options", "");
  }

  private static String defaultOf(Method getter) {
    if (getter.isAnnotationPresent(Default.String.class)) {
      return getter.getAnnotation(Default.String.class).value();
    }
    if (getter.isAnnotationPresent(Default.Boolean.class)) {
      return Boolean.toString(getter.getAnnotation(Default.Boolean.class).value());
    }
    if (getter.isAnnotationPresent(Default.Integer.class)) {
      return Integer.toString(getter.getAnnotation(Default.Integer.class).value());
    }
    return null;
  }

  private static void option(StringBuilder s, String name, String description, String dflt) {
    s.append("  --").append(name).append('\n');
    for (String line : wrap(description, 100)) {
      s.append("      ").append(line).append('\n');
    }
    if (dflt != null) {
      s.append("      default: ").append(dflt).append('\n');
    }
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static String lower(InputFormat f) {
    return f.name().toLowerCase(Locale.ROOT);
  }
}
