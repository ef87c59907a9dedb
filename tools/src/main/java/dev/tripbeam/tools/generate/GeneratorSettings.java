package dev.tripbeam.tools.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The generator's settings. */
public record GeneratorSettings(
    long users,
    long trips,
    int days,
    LocalDate start,
    long seed,
    int files,
    double invalidRate,
    double duplicateRate,
    double anomalyRate,
    String format,
    Path output,
    List<Path> templates,
    long idSeed,
    LocalDate idStart) {

  /**
   * The prefix of every trip id: the seed and start date of the ids' data set, so that two data sets never share
   * an id unless one is generated with {@code --idsOf} the other.
   */
  public String idPrefix() {
    return idSeed + "-" + idStart.toString().replace("-", "") + "-";
  }

  /** The {@code --name=value} arguments by name. */
  private static Map<String, String> named(String[] args) {
    Map<String, String> a = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.equals("--help")) {
        throw new IllegalArgumentException(usage());
      }
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("arguments are --name=value, got '" + arg + "'\n" + usage());
      }
      a.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    return a;
  }

  public static GeneratorSettings parse(String[] args) {
    Map<String, String> a = named(args);
    long trips = Long.parseLong(a.getOrDefault("trips", "1000000"));
    long users = Long.parseLong(a.getOrDefault("users", String.valueOf(Math.max(1, trips / 2))));
    String templates = a.getOrDefault("templates", System.getProperty("tripbeam.sampleInput", ""));
    if (!a.containsKey("output")) {
      throw new IllegalArgumentException("--output is required\n" + usage());
    }
    if (templates.isBlank()) {
      throw new IllegalArgumentException("--templates is required (TLC files, comma-separated)\n" + usage());
    }
    List<Path> templateFiles = new ArrayList<>();
    for (String t : templates.split(",")) {
      templateFiles.addAll(expand(t.trim()));
    }
    long seed = Long.parseLong(a.getOrDefault("seed", "42"));
    LocalDate start = LocalDate.parse(a.getOrDefault("start", "2024-03-04"));
    long idSeed = seed;
    LocalDate idStart = start;
    if (a.containsKey("idsOf")) {
      String[] of = a.get("idsOf").split(":", -1);
      if (of.length != 2) {
        throw new IllegalArgumentException("--idsOf is SEED:YYYY-MM-DD, got '" + a.get("idsOf") + "'\n" + usage());
      }
      idSeed = Long.parseLong(of[0]);
      idStart = LocalDate.parse(of[1]);
    }
    GeneratorSettings s =
        new GeneratorSettings(
            users,
            trips,
            Integer.parseInt(a.getOrDefault("days", "7")),
            start,
            seed,
            Integer.parseInt(a.getOrDefault("files", String.valueOf(Math.max(1, (trips + 1_999_999) / 2_000_000)))),
            Double.parseDouble(a.getOrDefault("invalidRate", "0.02")),
            Double.parseDouble(a.getOrDefault("duplicateRate", "0.01")),
            Double.parseDouble(a.getOrDefault("anomalyRate", "0.001")),
            a.getOrDefault("format", "parquet").toLowerCase(Locale.ROOT),
            Path.of(a.get("output")),
            templateFiles,
            idSeed,
            idStart);
    if (s.users < 1 || s.trips < 0 || s.days < 1 || s.files < 1 || s.files > s.users) {
      throw new IllegalArgumentException("need users >= files >= 1, trips >= 0, days >= 1\n" + usage());
    }
    if (!s.format.equals("parquet") && !s.format.equals("jsonl")) {
      throw new IllegalArgumentException("--format is parquet or jsonl\n" + usage());
    }
    return s;
  }

  private static List<Path> expand(String glob) {
    Path p = Path.of(glob);
    if (!glob.contains("*")) {
      return List.of(p);
    }
    try (var stream = Files.newDirectoryStream(p.getParent(), p.getFileName().toString())) {
      List<Path> files = new ArrayList<>();
      stream.forEach(files::add);
      files.sort(null);
      return files;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list " + glob + ": " + e.getMessage(), e);
    }
  }

  static String usage() {
    return "usage: GenerateTrips --output=DIR [--users=N] [--trips=M] [--days=D] [--start=YYYY-MM-DD] [--seed=S]"
        + " [--files=F] [--invalidRate=0.02] [--duplicateRate=0.01] [--anomalyRate=0.001] [--format=parquet|jsonl]"
        + " [--templates=TLC files] [--idsOf=SEED:YYYY-MM-DD (trip ids as that data set's, for tests that want"
        + " copies)]";
  }

  /** The name of generated file {@code file} in {@code format}. */
  public static String fileName(int file, String format) {
    return String.format(Locale.ROOT, "trips-%05d.%s", file, format);
  }
}
