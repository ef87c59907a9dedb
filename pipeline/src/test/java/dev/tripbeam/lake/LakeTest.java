package dev.tripbeam.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.report.ReportFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publication and recovery of the lake's bookkeeping, on the local file system. */
class LakeTest {
  @TempDir Path tmp;

  private Path stage(String runId, String relative, String content) throws Exception {
    Path file = tmp.resolve("_temporary").resolve(runId).resolve("out").resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private Path raw(String name, String content) throws Exception {
    Path file = tmp.getParent().resolve(tmp.getFileName() + "-raw").resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private static RawFile rawFile(Path file) throws Exception {
    MatchResult match = FileSystems.match(file.toString(), EmptyMatchTreatment.DISALLOW);
    return RawFile.of(match.metadata().get(0));
  }

  private List<String> files(String dir) throws Exception {
    Path root = tmp.resolve(dir);
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> tree = Files.walk(root)) {
      return tree.filter(Files::isRegularFile).map(p -> tmp.relativize(p).toString()).sorted().toList();
    }
  }

  private void existing(String relative, String content) throws Exception {
    Files.createDirectories(tmp.resolve(relative).getParent());
    Files.writeString(tmp.resolve(relative), content);
  }

  @Test
  void incrementalPublishReplacesTheTouchedPartitionsOnlyAndCommitsTheRawFiles() throws Exception {
    for (String zone : List.of("processed/trips", "aggregated/zone_daily", "aggregated/user_daily")) {
      existing(zone + "/pickup_date=2024-01-01/r0-part-00000-of-00001.parquet", "old 1");
      existing(zone + "/pickup_date=2024-01-02/r0-part-00000-of-00001.parquet", "old 2");
    }
    existing("aggregated/anomalies/pickup_date=2024-01-02/r0-part-00000-of-00001.parquet", "old 2");
    existing("rejected/r0-part-00000-of-00001.parquet", "old");
    for (String zone : List.of("processed/trips", "aggregated/zone_daily", "aggregated/user_daily")) {
      stage("r1", zone + "/pickup_date=2024-01-02/part-00000-of-00001.parquet", "new 2");
      stage("r1", zone + "/pickup_date=2024-01-03/part-00000-of-00001.parquet", "new 3");
    }
    stage("r1", "rejected/part-00000-of-00001.parquet", "new");
    Lake lake = new Lake(new LakeLayout(tmp.toString()), ReportFiles::write);
    RawFile f = rawFile(raw("a.csv", "header\nrow\n"));

    // 2024-01-02 was recomputed and has no anomaly any more; 2024-01-01 was not touched.
    lake.publish(
        lake.plan("r1", RunMode.INCREMENTAL, List.of(f), List.of("2024-01-02", "2024-01-03"), "{\"run\":\"r1\"}\n"));

    for (String zone : List.of("processed/trips", "aggregated/zone_daily", "aggregated/user_daily")) {
      assertEquals(
          List.of(
              zone + "/pickup_date=2024-01-01/r0-part-00000-of-00001.parquet",
              zone + "/pickup_date=2024-01-02/r1-part-00000-of-00001.parquet",
              zone + "/pickup_date=2024-01-03/r1-part-00000-of-00001.parquet"),
          files(zone));
      assertEquals(
          "old 1", Files.readString(tmp.resolve(zone + "/pickup_date=2024-01-01/r0-part-00000-of-00001.parquet")));
    }
    assertEquals(List.of(), files("aggregated/anomalies"));
    assertEquals(List.of("rejected/r0-part-00000-of-00001.parquet", "rejected/r1-part-00000-of-00001.parquet"),
        files("rejected"));
    assertEquals(List.of(), files("_temporary"), "staging is removed");
    assertEquals(List.of("_manifests/runs/r1.json"), files("_manifests"));
    assertEquals(List.of("_reports/run-r1.html", "_reports/run-r1.json"), files("_reports"), "the report and its page");
    JsonNode manifest = new ObjectMapper().readTree(tmp.resolve("_manifests/runs/r1.json").toFile());
    assertEquals("incremental", manifest.get("mode").asText());
    assertEquals(f.path(), manifest.at("/raw_files/0/path").asText());
    assertEquals(Set.of(f.key()), lake.committedRawFiles());
  }

  @Test
  void fullRefreshReplacesEveryZoneAndTheManifest() throws Exception {
    Lake lake = new Lake(new LakeLayout(tmp.toString()), ReportFiles::write);
    stage("r1", "rejected/part-00000-of-00001.parquet", "x1");
    stage("r1", "processed/trips/pickup_date=2024-01-01/part-00000-of-00001.parquet", "t1");
    lake.publish(lake.plan("r1", RunMode.FULL_REFRESH, List.of(rawFile(raw("a.csv", "1"))), List.of(), "{}"));
    stage("r2", "rejected/part-00000-of-00001.parquet", "x2");
    lake.publish(lake.plan("r2", RunMode.FULL_REFRESH, List.of(rawFile(raw("b.csv", "2"))), List.of(), "{}"));

    assertEquals(List.of("rejected/r2-part-00000-of-00001.parquet"), files("rejected"));
    assertEquals(List.of(), files("processed"));
    assertEquals(List.of("_manifests/runs/r2.json"), files("_manifests"));
    assertEquals(1, lake.committedRawFiles().size());
  }

  @Test
  void recoveryCompletesAPlanLeftPendingAndRemovesDeadStagingAreas() throws Exception {
    Lake lake = new Lake(new LakeLayout(tmp.toString()), ReportFiles::write);
    stage("r1", "aggregated/zone_daily/part-00000-of-00002.parquet", "a");
    stage("r1", "aggregated/zone_daily/part-00001-of-00002.parquet", "b");
    PublicationPlan plan = lake.plan("r1", RunMode.INCREMENTAL, List.of(rawFile(raw("a.csv", "1"))), List.of(), "{}");
    lake.begin(plan);
    // The run dies after publishing one of its two files.
    Map.Entry<String, String> first = plan.copies().entrySet().iterator().next();
    Files.createDirectories(Path.of(first.getValue()).getParent());
    Files.copy(Path.of(first.getKey()), Path.of(first.getValue()));
    stage("dead", "processed/trips/pickup_date=2024-01-01/part-00000-of-00001.parquet", "never published");

    Lake next = new Lake(new LakeLayout(tmp.toString()), ReportFiles::write);
    assertFalse(next.hasCommittedRuns(), "a pending plan is not a committed run");
    assertEquals(List.of("r1"), next.recover());

    assertEquals(
        List.of(
            "aggregated/zone_daily/r1-part-00000-of-00002.parquet",
            "aggregated/zone_daily/r1-part-00001-of-00002.parquet"),
        files("aggregated"));
    assertEquals(List.of(), files("processed"), "the dead run published nothing");
    assertEquals(List.of(), files("_temporary"));
    assertEquals(List.of("_manifests/runs/r1.json"), files("_manifests"));
    assertTrue(next.hasCommittedRuns());
    assertEquals(List.of(), next.recover(), "recovery is done once");
  }

  @Test
  void aRawFileIsKeyedByPathSizeAndContent() throws Exception {
    Path file = raw("trips.csv", "header\n1,2\n");
    RawFile before = rawFile(file);
    Files.writeString(file, "header\n1,3\n");
    RawFile after = rawFile(file);
    assertEquals(before.size(), after.size());
    assertNotEquals(before.key(), after.key(), "same path and size, other content");
    assertTrue(before.checksum().startsWith("crc32c:"), before.checksum());
  }
}
