package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.fixtures.Clusters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The job jars the build made (runners-config/flink and /spark, {@code mvn package} with their profile): what {@code
 * jar tf} lists holds the job's command line and none of the tools (generator, baseline, DDL generator), and the
 * manifest starts the command line.
 */
class JobJarTest {
  private static final Path ROOT = Clusters.ROOT;

  private static List<Path> jobJars() throws Exception {
    List<Path> jars = new ArrayList<>();
    for (String runner : List.of("flink", "spark")) {
      Path target = ROOT.resolve("runners-config/" + runner + "/target");
      if (Files.isDirectory(target)) {
        try (Stream<Path> files = Files.list(target)) {
          files.filter(p -> p.getFileName().toString().matches("tripbeam-" + runner + "-.*\\.jar")).forEach(jars::add);
        }
      }
    }
    return jars;
  }

  private static List<String> jarTf(Path jar) {
    ToolProvider tool = ToolProvider.findFirst("jar").orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = tool.run(new PrintWriter(out), new PrintWriter(err), "tf", jar.toString());
    assertEquals(0, code, "jar tf " + jar + ": " + err);
    return out.toString().lines().toList();
  }

  @Test
  void theJobJarsHoldTheJobAndNoTool() throws Exception {
    List<Path> jars = jobJars();
    assertFalse(jars.isEmpty(), "mvn package builds the default profile's job jar (runners-config/flink)");
    for (Path jar : jars) {
      List<String> entries = jarTf(jar);
      assertTrue(entries.contains("dev/tripbeam/cli/TripCommand.class"), jar + " holds the command line");
      assertTrue(entries.contains("dev/tripbeam/graph/BatchGraph.class"), jar + " holds the graph");
      List<String> tools =
          entries.stream()
              .filter(e -> e.startsWith("dev/tripbeam/tools/") || e.matches(".*(GenerateTrips|PlainJavaFloor).*"))
              .toList();
      assertEquals(List.of(), tools, jar + " holds no generator, benchmark or DDL class");
      try (JarFile file = new JarFile(jar.toFile())) {
        assertEquals(
            "dev.tripbeam.cli.TripCommand", file.getManifest().getMainAttributes().getValue("Main-Class"), jar.toString());
      }
    }
  }
}
