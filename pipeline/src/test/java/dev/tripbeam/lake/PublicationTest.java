package dev.tripbeam.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.report.ReportFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publication as table commits on a local lake with its SQLite catalog: partitions replaced by date, the ledger,
 * roll-forward of a stopped publication, and the refusal of a run that another committed under. The staged files are
 * empty Parquet files of each zone's schema: what is checked is which files each snapshot lists.
 */
class PublicationTest {
  @TempDir Path tmp;
  private IcebergLake tables;
  private Publication publication;
  private Lake lake;

  @BeforeEach
  void open() {
    tables = IcebergLake.open(null, "tripbeam", new LakeLayout(tmp.toString()));
    publication = new Publication(tables, ReportFiles::write);
    lake = new Lake(tables);
  }

  @AfterEach
  void close() throws Exception {
    tables.close();
  }

  private void stage(String runId, LakeZone zone, String... dates) throws Exception {
    List<String> folders = new ArrayList<>();
    for (String date : dates) {
      folders.add(zone.location() + "/" + LakeZone.partition(date));
    }
    if (dates.length == 0) {
      folders.add(zone.location());
    }
    for (String folder : folders) {
      Path file = tmp.resolve("_temporary").resolve(runId).resolve("out").resolve(folder).resolve("part-0.parquet");
      ZoneRows.write(file, zone, folder.contains("=") ? folder.substring(folder.indexOf('=') + 1) : null, 1);
    }
  }

  private RawFile raw(String name, String content) throws Exception {
    Path file = tmp.getParent().resolve(tmp.getFileName() + "-raw").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    MatchResult match = FileSystems.match(file.toString(), EmptyMatchTreatment.DISALLOW);
    return RawFile.of(match.metadata().get(0)).withDates(List.of("2024-01-02"));
  }

  /** The current snapshot's files of a zone, as {@code date/runId}, or {@code runId} for the rejected zone. */
  private List<String> current(LakeZone zone) {
    Table table = tables.existing(zone);
    List<String> files = new ArrayList<>();
    table.newScan().planFiles().forEach(t -> files.add(shown(t.file().location())));
    files.sort(String::compareTo);
    return files;
  }

  private static String shown(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    String run = name.substring(0, name.indexOf("-part-"));
    int at = path.indexOf("pickup_date=");
    return at < 0 ? run : path.substring(at + "pickup_date=".length(), at + "pickup_date=".length() + 10) + "/" + run;
  }

  private void publish(String runId, RunMode mode, List<RawFile> raw, List<String> dates, Map<String, Long> bases)
      throws Exception {
    publication.publish(publication.plan(runId, mode, raw, dates, bases, "{\"run\":\"" + runId + "\"}\n"));
  }

  private void stageAll(String runId, String... dates) throws Exception {
    for (LakeZone zone : LakeZone.values()) {
      if (zone.partitioned()) {
        stage(runId, zone, dates);
      } else {
        stage(runId, zone);
      }
    }
  }

  @Test
  void incrementalRunReplacesTheTouchedPartitionsOnlyAndKeepsThePreviousSnapshot() throws Exception {
    stageAll("r0", "2024-01-01", "2024-01-02");
    publish("r0", RunMode.FULL_REFRESH, List.of(raw("a.csv", "1")), List.of(), lake.snapshots());
    Map<String, Long> afterR0 = lake.snapshots();
    for (LakeZone zone : List.of(LakeZone.PROCESSED_TRIPS, LakeZone.ZONE_DAILY, LakeZone.USER_DAILY)) {
      stage("r1", zone, "2024-01-02", "2024-01-03");
    }
    stage("r1", LakeZone.REJECTED);
    // 2024-01-02 was recomputed and has no anomaly any more; 2024-01-01 was not touched.
    RawFile b = raw("b.csv", "22");
    publish("r1", RunMode.INCREMENTAL, List.of(b), List.of("2024-01-02", "2024-01-03"), afterR0);

    for (LakeZone zone : List.of(LakeZone.PROCESSED_TRIPS, LakeZone.ZONE_DAILY, LakeZone.USER_DAILY)) {
      assertEquals(List.of("2024-01-01/r0", "2024-01-02/r1", "2024-01-03/r1"), current(zone), zone::toString);
    }
    assertEquals(List.of("2024-01-01/r0"), current(LakeZone.ANOMALIES));
    assertEquals(List.of("r0", "r1"), current(LakeZone.REJECTED));
    assertEquals(
        Map.of("2024-01-01", List.of("r0"), "2024-01-02", List.of("r0")),
        runsByDate(lake.processedFiles(afterR0)),
        "the previous snapshot still lists r0's files");
    assertEquals(2, lake.committedRawFiles().size());
    assertEquals(Set.of("b.csv"), names(lake.rawFilesHolding(Set.of("2024-01-02")).keySet().stream()
        .filter(p -> p.endsWith("b.csv")).toList()));
    assertTrue(Files.exists(tmp.resolve("_reports/run-r1.json")));
    assertFalse(Files.exists(tmp.resolve("_temporary")) && hasFile(tmp.resolve("_temporary")), "staging removed");
    assertFalse(hasFile(tmp.resolve("_pending")), "no plan left pending");
    assertEquals("r1", tables.partitions(LakeZone.USER_DAILY).get("2024-01-03").runId());
    assertEquals("r0", tables.partitions(LakeZone.USER_DAILY).get("2024-01-01").runId());

    assertEquals(List.of(), lake.expire(0));
    assertEquals(
        List.of("2024-01-01/r0", "2024-01-02/r1", "2024-01-03/r1"),
        filesNamed("r").stream().filter(p -> p.contains("processed/trips/pickup_date=")).map(PublicationTest::shown)
            .sorted().toList(),
        "the expired snapshot's files are deleted, the current ones kept");
  }

  @Test
  void aCompactionThatARunCommittedUnderIsSkippedAndLeavesNoFile() throws Exception {
    stageAll("r0", "2024-01-01");
    publish("r0", RunMode.FULL_REFRESH, List.of(raw("a.csv", "1")), List.of(), lake.snapshots());
    stageAll("r1", "2024-01-02");
    publish("r1", RunMode.INCREMENTAL, List.of(raw("b.csv", "2")), List.of("2024-01-02"), lake.snapshots());
    Table rejected = tables.existing(LakeZone.REJECTED);
    long read = rejected.currentSnapshot().snapshotId();
    Map<String, List<DataFile>> groups = Compaction.groups(rejected, LakeZone.REJECTED, read);
    assertEquals(List.of(""), List.copyOf(groups.keySet()), "the rejected table, one group of two files");
    stageAll("r2", "2024-01-03");
    publish("r2", RunMode.FULL_REFRESH, List.of(raw("c.csv", "3")), List.of(), lake.snapshots());

    Compaction.Result skipped = Compaction.rewrite(rejected, LakeZone.REJECTED, groups, read, "c1");
    assertTrue(skipped.skipped() != null && skipped.skipped().startsWith("a run committed to it meanwhile"),
        String.valueOf(skipped));
    assertEquals(List.of("r2"), current(LakeZone.REJECTED));
    assertEquals(List.of(), filesNamed("c1-part-compacted"), "the compacted file it wrote is deleted");

    stageAll("r3", "2024-01-03");
    publish("r3", RunMode.INCREMENTAL, List.of(raw("d.csv", "4")), List.of("2024-01-03"), lake.snapshots());
    Compaction.Result done = Compaction.compact(tables, "c2").get(LakeZone.REJECTED.zoneName());
    assertEquals(new Compaction.Result(1, 2, 2, null), done);
    assertEquals(List.of("c2"), current(LakeZone.REJECTED));
  }

  @Test
  void fullRefreshReplacesEveryTableAndTheLedger() throws Exception {
    stageAll("r1", "2024-01-01");
    publish("r1", RunMode.FULL_REFRESH, List.of(raw("a.csv", "1")), List.of(), lake.snapshots());
    stage("r2", LakeZone.REJECTED);
    publish("r2", RunMode.FULL_REFRESH, List.of(raw("b.csv", "2")), List.of(), lake.snapshots());

    assertEquals(List.of("r2"), current(LakeZone.REJECTED));
    assertEquals(List.of(), current(LakeZone.PROCESSED_TRIPS));
    assertEquals(1, lake.committedRawFiles().size());
  }

  @Test
  void aPublicationStoppedBetweenTableCommitsIsRolledForward() throws Exception {
    stageAll("r1", "2024-01-01");
    Map<String, Long> bases = lake.snapshots();
    PublicationPlan plan = publication.plan("r1", RunMode.INCREMENTAL, List.of(raw("a.csv", "1")),
        List.of("2024-01-01"), bases, "{}");
    // The run dies after its plan was written, its files copied and its first table committed.
    LakeFiles.write(tmp + "/_pending/r1.json", plan.toJson());
    LakeFiles.copy(new ArrayList<>(plan.copies().keySet()), new ArrayList<>(plan.copies().values()));
    Table trips = tables.ensure(LakeZone.PROCESSED_TRIPS);
    TableCommit.commit(trips, LakeZone.PROCESSED_TRIPS, RunMode.INCREMENTAL, plan.dates(),
        ZoneFiles.of(trips, LakeZone.PROCESSED_TRIPS, plan.filesUnder(tmp + "/processed/trips")), null, "r1", Map.of());
    stage("dead", LakeZone.PROCESSED_TRIPS, "2024-01-05");
    assertFalse(lake.hasCommittedRuns(), "a run is committed once its raw files are in the ledger");
    assertNull(tables.existing(LakeZone.ZONE_DAILY));

    assertEquals(
        List.of("run r1 (committed now: zone_daily, user_daily, anomalies, rejected, raw_files)"),
        publication.recover());

    for (LakeZone zone : LakeZone.values()) {
      assertEquals(zone.partitioned() ? List.of("2024-01-01/r1") : List.of("r1"), current(zone), zone::toString);
    }
    assertTrue(lake.hasCommittedRuns());
    assertFalse(hasFile(tmp.resolve("_temporary")), "the dead run's staging area is removed");
    assertEquals(List.of(), publication.recover(), "rolled forward once");
  }

  @Test
  void aRunThatAnotherCommittedUnderCommitsNothing() throws Exception {
    stageAll("r0", "2024-01-01");
    publish("r0", RunMode.FULL_REFRESH, List.of(raw("a.csv", "1")), List.of(), lake.snapshots());
    Map<String, Long> started = lake.snapshots();
    stageAll("ra", "2024-01-01");
    stageAll("rb", "2024-01-01");
    publish("ra", RunMode.INCREMENTAL, List.of(raw("b.csv", "2")), List.of("2024-01-01"), started);

    Publication.ConcurrentRunException e =
        assertThrows(
            Publication.ConcurrentRunException.class,
            () -> publish("rb", RunMode.INCREMENTAL, List.of(raw("c.csv", "3")), List.of("2024-01-01"), started));

    assertTrue(e.getMessage().contains("nothing of this run was committed"), e.getMessage());
    for (LakeZone zone : LakeZone.values()) {
      assertEquals(zone.partitioned() ? List.of("2024-01-01/ra") : List.of("r0", "ra"), current(zone), zone::toString);
    }
    assertEquals(2, lake.committedRawFiles().size(), "c.csv is not recorded: the next incremental run reads it");
    assertEquals(List.of(), filesNamed("rb-"), "the refused run's copies are removed");
    assertFalse(hasFile(tmp.resolve("_pending")));
  }

  @Test
  void orphansOlderThanTheSafetyAgeAreDeletedAndEverySnapshotsFilesKept() throws Exception {
    stageAll("r0", "2024-01-01");
    publish("r0", RunMode.FULL_REFRESH, List.of(raw("a.csv", "1")), List.of(), lake.snapshots());
    stageAll("r1", "2024-01-01");
    publish("r1", RunMode.FULL_REFRESH, List.of(raw("b.csv", "2")), List.of(), lake.snapshots());
    Path folder = tmp.resolve("processed/trips/pickup_date=2024-01-01");
    Path old = Files.copy(folder.resolve("r1-part-0.parquet"), folder.resolve("dead-part-0.parquet"));
    Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 96 * 3_600_000L));
    Path young = Files.copy(folder.resolve("r1-part-0.parquet"), folder.resolve("busy-part-0.parquet"));
    for (Path p : Files.list(tmp.resolve("processed/trips/metadata")).toList()) {
      Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(0));
    }
    Files.setLastModifiedTime(folder.resolve("r0-part-0.parquet"), java.nio.file.attribute.FileTime.fromMillis(0));

    Map<String, Integer> deleted = OrphanFiles.clean(tables, 72 * 3_600_000L);

    assertEquals(1, deleted.get("processed_trips"), deleted::toString);
    assertFalse(Files.exists(old));
    assertTrue(Files.exists(young), "younger than the safety age: maybe a run still publishing");
    assertTrue(Files.exists(folder.resolve("r0-part-0.parquet")), "the previous snapshot's file stays");
    assertEquals(List.of("2024-01-01/r1"), current(LakeZone.PROCESSED_TRIPS));
    assertEquals(Map.of("2024-01-01", List.of("r0")), runsByDate(tables.filesByDate(LakeZone.PROCESSED_TRIPS,
        tables.existing(LakeZone.PROCESSED_TRIPS).currentSnapshot().parentId())), "time travel still reads");
  }

  @Test
  void anOpenCatalogSeesWhatAnotherOneCommits() throws Exception {
    assertEquals(Map.of(), lake.snapshots(), "read before the other commits");
    try (IcebergLake other = IcebergLake.open(null, "tripbeam", new LakeLayout(tmp.toString()))) {
      stageAll("r1", "2024-01-01");
      new Publication(other, ReportFiles::write)
          .publish(new Publication(other, ReportFiles::write)
              .plan("r1", RunMode.FULL_REFRESH, List.of(raw("a.csv", "1")), List.of(), Map.of(), "{}"));
    }
    assertEquals(List.of("2024-01-01/r1"), current(LakeZone.PROCESSED_TRIPS));
    assertTrue(lake.hasCommittedRuns());
  }

  @Test
  void aRawFileIsKeyedByPathSizeAndContent() throws Exception {
    Path file = tmp.resolve("trips.csv");
    Files.writeString(file, "header\n1,2\n");
    RawFile before = RawFile.of(FileSystems.match(file.toString()).metadata().get(0));
    Files.writeString(file, "header\n1,3\n");
    RawFile after = RawFile.of(FileSystems.match(file.toString()).metadata().get(0));
    assertEquals(before.size(), after.size());
    assertNotEquals(before.key(), after.key(), "same path and size, other content");
    assertTrue(before.checksum().startsWith("crc32c:"), before.checksum());
  }

  private static Map<String, List<String>> runsByDate(Map<String, List<String>> files) {
    Map<String, List<String>> runs = new TreeMap<>();
    files.forEach((date, paths) -> runs.put(date, paths.stream().map(p -> shown(p).replaceAll(".*/", "")).toList()));
    return runs;
  }

  private static Set<String> names(List<String> paths) {
    return Set.copyOf(paths.stream().map(p -> p.substring(p.lastIndexOf('/') + 1)).toList());
  }

  private List<String> filesNamed(String prefix) throws Exception {
    try (Stream<Path> tree = Files.walk(tmp)) {
      return tree.filter(p -> p.getFileName().toString().startsWith(prefix)).map(Path::toString).toList();
    }
  }

  private static boolean hasFile(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      return tree.anyMatch(Files::isRegularFile);
    }
  }
}
