package dev.tripbeam.architecture;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The main sources of the project's modules as javac parses them (no compilation, no classpath): each file's package,
 * imports, length and methods with their lengths in lines.
 */
final class SourceTree {
  /** A source file. */
  record Source(Path path, String packageName, List<String> imports, int lines, List<Method> methods) {}

  /** A method (or constructor) and its length in lines, from its first line (annotations included) to its last. */
  record Method(String name, int firstLine, int lines) {}

  private SourceTree() {}

  /** Every {@code .java} file under the given source roots. */
  static List<Source> parse(List<Path> roots) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
      }
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<Source> sources = new ArrayList<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
      JavacTask task = (JavacTask) javac.getTask(null, fm, d -> {}, List.of("-proc:none"), null, units);
      SourcePositions positions = Trees.instance(task).getSourcePositions();
      for (CompilationUnitTree unit : task.parse()) {
        sources.add(source(unit, positions));
      }
    }
    return sources;
  }

  private static Source source(CompilationUnitTree unit, SourcePositions positions) throws IOException {
    List<String> imports = new ArrayList<>();
    for (ImportTree i : unit.getImports()) {
      imports.add(i.getQualifiedIdentifier().toString());
    }
    LineMap lines = unit.getLineMap();
    List<Method> methods = new ArrayList<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethod(MethodTree m, Void unused) {
        long first = lines.getLineNumber(positions.getStartPosition(unit, m));
        long last = lines.getLineNumber(positions.getEndPosition(unit, m));
        methods.add(new Method(m.getName().toString(), (int) first, (int) (last - first + 1)));
        return super.visitMethod(m, unused);
      }
    }.scan(unit, null);
    Path path = Path.of(unit.getSourceFile().toUri());
    String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
    return new Source(path, pkg, imports, (int) Files.lines(path).count(), methods);
  }
}
