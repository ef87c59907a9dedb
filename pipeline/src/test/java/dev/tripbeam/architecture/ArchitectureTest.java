package dev.tripbeam.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the house, checked on the main sources of every module: the job module's packages import only
 * downwards in {@link #LAYERS}, no main source file is longer than 400 lines and no method longer than 60.
 */
class ArchitectureTest {
  /** The job module's packages, top first: a package may import only the ones after it (and the lower modules). */
  static final List<String> LAYERS =
      List.of("cli", "run", "graph", "report", "options", "serving", "lake");

  static final List<Path> MAIN_ROOTS =
      List.of(
          Path.of("../transforms/src/main/java"),
          Path.of("../io/src/main/java"),
          Path.of("src/main/java"),
          Path.of("../tools/src/main/java"));

  private static List<SourceTree.Source> sources;

  @BeforeAll
  static void parse() throws Exception {
    sources = SourceTree.parse(MAIN_ROOTS);
  }

  /** The layer of a {@code dev.tripbeam.X…} name, or -1 when X is not one of the job module's packages. */
  static int layer(String name) {
    String[] parts = name.split("\\.");
    return parts.length > 2 && parts[0].equals("dev") && parts[1].equals("tripbeam") ? LAYERS.indexOf(parts[2]) : -1;
  }

  @Test
  void everyJobPackageIsALayer() {
    Set<String> packages = new TreeSet<>();
    for (SourceTree.Source s : sources) {
      if (s.path().toString().contains("/pipeline/src/main/java/") || s.path().startsWith(Path.of("src/main/java"))) {
        packages.add(s.packageName());
      }
    }
    Set<String> expected = new TreeSet<>();
    LAYERS.forEach(l -> expected.add("dev.tripbeam." + l));
    assertEquals(expected, packages, "each package of the job module has its place in LAYERS");
  }

  @Test
  void importsRunDownwardsOnly() {
    List<String> upwards = new ArrayList<>();
    for (SourceTree.Source s : sources) {
      int from = layer(s.packageName());
      for (String imported : s.imports()) {
        int to = layer(imported);
        if (from >= 0 && to >= 0 && to < from) {
          upwards.add(s.path().getFileName() + " (" + LAYERS.get(from) + ") imports " + imported);
        }
        if (from < 0 && to >= 0 && !s.packageName().startsWith("dev.tripbeam.tools")) {
          upwards.add(s.path().getFileName() + " in a lower module imports " + imported);
        }
      }
    }
    assertEquals(List.of(), upwards);
  }

  @Test
  void noFileOver400LinesNoMethodOver60() {
    List<String> long_ = new ArrayList<>();
    for (SourceTree.Source s : sources) {
      if (s.lines() > 400) {
        long_.add(s.path().getFileName() + ": " + s.lines() + " lines");
      }
      for (SourceTree.Method m : s.methods()) {
        if (m.lines() > 60) {
          long_.add(s.path().getFileName() + ":" + m.firstLine() + " " + m.name() + ": " + m.lines() + " lines");
        }
      }
    }
    assertEquals(List.of(), long_);
  }

  @Test
  void theParserSeesWhatItChecks() {
    assertTrue(sources.size() > 80, "the main sources of the four modules: " + sources.size());
    assertTrue(
        sources.stream().anyMatch(s -> s.imports().contains("dev.tripbeam.lake.LakeZone")),
        "imports are read by their qualified names");
  }
}
