package dev.tripbeam.run;

import dev.tripbeam.lake.Lake;
import dev.tripbeam.lake.LakeFiles;
import dev.tripbeam.lake.RawFile;
import dev.tripbeam.options.RunRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The raw files a batch run reads: those of {@code --input} that the lake's ledger does not list yet (all of them
 * without {@code --incremental}), or for {@code --reprocess} those the ledger records as holding the dates; how many
 * were already processed or skipped as hidden or marker files; the tables' snapshots the run starts from; and for an
 * incremental run onto a lake with history, the processed trips' files of that snapshot by pickup date.
 */
record RunInputs(
    List<RawFile> files,
    int alreadyProcessed,
    int hidden,
    Map<String, Long> bases,
    @Nullable Map<String, List<String>> history) {
  /** Lists the run's raw files against the lake's ledger, at the tables' current snapshots. */
  static RunInputs list(RunRequest request, Lake lake) throws IOException {
    Map<String, Long> bases = lake.snapshots();
    if (!request.reprocessDates().isEmpty()) {
      return new RunInputs(holding(lake, request.reprocessDates(), request.options().getOutput()), 0, 0, bases, null);
    }
    boolean incremental = request.options().getIncremental();
    Set<String> committed = incremental ? lake.committedRawFiles() : Set.of();
    List<RawFile> files = new ArrayList<>();
    int skipped = 0;
    Listed listed = resolve(request.options().getInput());
    for (MatchResult.Metadata file : listed.files) {
      RawFile raw = RawFile.of(file);
      if (committed.contains(raw.key())) {
        skipped++;
      } else {
        files.add(raw);
      }
    }
    Map<String, List<String>> history = incremental && lake.hasCommittedRuns() ? lake.processedFiles(bases) : null;
    return new RunInputs(files, skipped, listed.hidden, bases, history);
  }

  /** The paths of the files to read. */
  List<String> paths() {
    List<String> paths = new ArrayList<>();
    files.forEach(f -> paths.add(f.path()));
    return paths;
  }

  /**
   * The raw files that hold trips on the dates to reprocess, as the lake's manifests record them, each as it is now
   * (a replaced file has its new size and checksum).
   */
  private static List<RawFile> holding(Lake lake, Set<String> dates, String output) throws IOException {
    SortedMap<String, SortedSet<String>> holding = lake.rawFilesHolding(dates);
    if (holding.isEmpty()) {
      throw new UserError("no raw file the lake at " + output + " has processed holds a trip picked up on " + dates);
    }
    List<RawFile> files = new ArrayList<>();
    // Each file is found by listing its folder, as a prefix or glob --input lists it: on S3 a listing and a HEAD
    // request do not describe an object alike, and the manifest must key the file as the next incremental run will.
    Map<String, Map<String, MatchResult.Metadata>> folders = new HashMap<>();
    for (Map.Entry<String, SortedSet<String>> file : holding.entrySet()) {
      String path = file.getKey();
      String folder = path.substring(0, path.lastIndexOf('/'));
      Map<String, MatchResult.Metadata> listed = folders.get(folder);
      if (listed == null) {
        listed = new HashMap<>();
        for (MatchResult.Metadata m : LakeFiles.list(folder + "/*")) {
          listed.put(m.resourceId().toString(), m);
        }
        folders.put(folder, listed);
      }
      MatchResult.Metadata found = listed.get(path);
      if (found == null) {
        SortedSet<String> held = new TreeSet<>(file.getValue());
        held.retainAll(dates);
        throw new UserError(
            "the raw file " + path + " held trips on " + held + " and is gone: restore it, then reprocess");
      }
      files.add(RawFile.of(found));
    }
    return files;
  }

  /** The files of {@code --input}, and how many hidden or marker files its listings skipped. */
  private static final class Listed {
    final List<MatchResult.Metadata> files = new ArrayList<>();
    int hidden;
  }

  /**
   * The raw files of {@code --input}: comma-separated paths or globs; a path that is not a file is a prefix (a
   * folder, an S3 prefix) and stands for every file under it. Globs and prefixes skip hidden and marker files (names
   * starting with '.' or '_': {@code _SUCCESS}, {@code .crc} files, {@code .complete}), as Spark and Hive do; a file
   * named on its own is always read.
   */
  private static Listed resolve(String input) throws IOException {
    Listed inputs = new Listed();
    for (String spec : input.split(",")) {
      spec = spec.trim();
      if (spec.isEmpty()) {
        continue;
      }
      List<MatchResult.Metadata> matched = LakeFiles.list(spec);
      boolean glob = spec.contains("*") || spec.contains("?") || spec.contains("[") || spec.contains("{");
      boolean single = !glob && matched.size() == 1;
      if (matched.isEmpty() && !glob) {
        String prefix = spec.endsWith("/") ? spec.substring(0, spec.length() - 1) : spec;
        matched = LakeFiles.list(prefix + "/**");
      }
      if (matched.isEmpty()) {
        throw new UserError("no input file matches " + spec);
      }
      int before = inputs.files.size();
      for (MatchResult.Metadata m : matched) {
        if (!single && isHiddenOrMarker(m.resourceId().getFilename())) {
          inputs.hidden++;
        } else {
          inputs.files.add(m);
        }
      }
      if (inputs.files.size() == before) {
        throw new UserError("no input file matches " + spec + " (only hidden or marker files)");
      }
    }
    inputs.files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return inputs;
  }

  static boolean isHiddenOrMarker(String fileName) {
    return fileName != null && (fileName.startsWith(".") || fileName.startsWith("_"));
  }
}
