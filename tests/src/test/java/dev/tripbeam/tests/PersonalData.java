package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The user ids and trip ids of a test's input, and the check that none of them appears in what a run shows an
 * operator (console, logs, reports): a text is cut into tokens of {@code [A-Za-z0-9_-]} and no token may be an id.
 */
final class PersonalData {
  private static final Pattern ID = Pattern.compile("\"(user_id|trip_id)\"\\s*:\\s*\"([^\"]+)\"");
  final Set<String> userIds = new HashSet<>();
  final Set<String> tripIds = new HashSet<>();

  /** The ids named in app-format JSON lines. */
  static PersonalData inLines(List<String> lines) {
    PersonalData ids = new PersonalData();
    for (String line : lines) {
      Matcher m = ID.matcher(line);
      while (m.find()) {
        (m.group(1).equals("user_id") ? ids.userIds : ids.tripIds).add(m.group(2));
      }
    }
    return ids;
  }

  /** The ids of every app-format file (Parquet by DuckDB, JSON lines) in {@code dirs}. */
  static PersonalData inAppTrips(Path... dirs) throws Exception {
    PersonalData ids = new PersonalData();
    for (Path dir : dirs) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.sorted().toList()) {
          if (f.toString().endsWith(".parquet")) {
            for (String row : Outputs.query("select coalesce(user_id, '') || '|' || coalesce(trip_id, '') from "
                + "read_parquet('" + f + "')")) {
              String[] kv = row.split("\\|", -1);
              ids.userIds.add(kv[0]);
              ids.tripIds.add(kv[1]);
            }
          } else if (f.toString().endsWith(".jsonl")) {
            PersonalData more = inLines(Files.readAllLines(f));
            ids.userIds.addAll(more.userIds);
            ids.tripIds.addAll(more.tripIds);
          }
        }
      }
    }
    ids.userIds.remove("");
    ids.tripIds.remove("");
    assertTrue(ids.userIds.size() > 10 && ids.tripIds.size() > 100, "ids found: " + ids.userIds.size() + " users");
    return ids;
  }

  /** Every regular file under {@code dir}, by path, with its text. */
  static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> texts = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return texts;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        texts.put(f.toString(), Files.readString(f));
      }
    }
    return texts;
  }

  /** Fails when a token of {@code text} is a user id or a trip id. */
  void assertAbsent(String where, String text) {
    Set<String> tokens = new HashSet<>(List.of(text.split("[^A-Za-z0-9_-]+")));
    Set<String> users = new HashSet<>(tokens);
    users.retainAll(userIds);
    assertEquals(Set.of(), users, "user ids in " + where);
    tokens.retainAll(tripIds);
    assertEquals(Set.of(), tokens, "trip ids in " + where);
  }
}
