package dev.tripbeam.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming job's commits of pane files to a local lake's tables (SQLite catalog, real Parquet files): appended or
 * replacing a day, one snapshot per commit, a replayed file recognised by the current files or by the snapshots after
 * the committer's last one, and a date's small files compacted as they reach {@link PaneCommit#COMPACT_AT}.
 */
class PaneCommitTest {
  private static final String RUN = "stream-1";
  private static final String DAY = "2024-01-02";
  private static final String NEXT_DAY = "2024-01-03";
  private static final Comparator<String> BY_DATE =
      Comparator.comparing(ZoneFiles::partitionPath).thenComparing(Comparator.naturalOrder());
  @TempDir Path tmp;
  private IcebergLake lake;

  @BeforeEach
  void open() {
    lake = IcebergLake.open(null, "tripbeam", new LakeLayout(tmp.toString()));
  }

  @AfterEach
  void close() throws Exception {
    lake.close();
  }

  @Test
  void appendedPanesAreCommittedOnceAndAReplayIsRecognised() throws Exception {
    String a = pane(LakeZone.PROCESSED_TRIPS, DAY, "a", 2);
    String b = pane(LakeZone.PROCESSED_TRIPS, NEXT_DAY, "b", 3);
    PaneCommit.Result first = commit(LakeZone.PROCESSED_TRIPS, false, List.of(a, b), null);
    assertEquals(2, first.committed());
    Snapshot made = table(LakeZone.PROCESSED_TRIPS).currentSnapshot();
    assertEquals(first.lastCommitted(), made.snapshotId());
    assertEquals(
        List.of(RUN, "stream", "2", "5"),
        List.of(made.summary().get(TableCommit.RUN_ID), made.summary().get(PaneCommit.MODE),
            made.summary().get(PaneCommit.PANE_FILES), made.summary().get("added-records")));

    PaneCommit.Result again = commit(LakeZone.PROCESSED_TRIPS, false, List.of(a, b), first.lastCommitted());
    assertEquals(List.of(0, 2), List.of(again.committed(), again.replayed()), "a restored job sends both again");
    assertEquals(made.snapshotId(), table(LakeZone.PROCESSED_TRIPS).currentSnapshot().snapshotId(), "no snapshot");

    String c = pane(LakeZone.PROCESSED_TRIPS, DAY, "c", 1);
    PaneCommit.Result mixed = commit(LakeZone.PROCESSED_TRIPS, false, List.of(b, c), null);
    assertEquals(List.of(1, 1), List.of(mixed.committed(), mixed.replayed()), "a state lost before any checkpoint");
    assertEquals(List.of(a, c, b), lake.currentFiles(LakeZone.PROCESSED_TRIPS).stream().sorted(BY_DATE).toList());
    assertEquals(6, rows(LakeZone.PROCESSED_TRIPS));
  }

  @Test
  void aReplayedDayIsNotCommittedOverTheDayThatReplacedIt() throws Exception {
    String x = pane(LakeZone.ZONE_DAILY, DAY, "x", 4);
    String y = pane(LakeZone.ZONE_DAILY, DAY, "y", 5);
    String z = pane(LakeZone.ZONE_DAILY, NEXT_DAY, "z", 1);
    PaneCommit.Result first = commit(LakeZone.ZONE_DAILY, true, List.of(x), null);
    PaneCommit.Result second = commit(LakeZone.ZONE_DAILY, true, List.of(y, z), first.lastCommitted());
    assertEquals(List.of(y, z), lake.currentFiles(LakeZone.ZONE_DAILY), "y replaced x; z added a day");

    PaneCommit.Result fromCheckpoint = commit(LakeZone.ZONE_DAILY, true, List.of(x), null);
    assertEquals(List.of(0, 1), List.of(fromCheckpoint.committed(), fromCheckpoint.replayed()));
    assertEquals(List.of(y, z), lake.currentFiles(LakeZone.ZONE_DAILY), "x is not back");
    assertEquals(second.lastCommitted(), table(LakeZone.ZONE_DAILY).currentSnapshot().snapshotId());
  }

  @Test
  void aBatchWithTwoFilesOfADayCommitsTheLast() throws Exception {
    String early = pane(LakeZone.USER_DAILY, DAY, "early", 2);
    String late = pane(LakeZone.USER_DAILY, DAY, "late", 3);
    commit(LakeZone.USER_DAILY, true, List.of(early, late), null);
    assertEquals(List.of(late), lake.currentFiles(LakeZone.USER_DAILY));
    assertEquals(3, rows(LakeZone.USER_DAILY));
  }

  @Test
  void aDatesSmallFilesAreCompactedWhenTheyReachTheLimitAndTheirReplayIsRecognised() throws Exception {
    Long last = null;
    List<String> panes = new ArrayList<>();
    for (int i = 0; i < PaneCommit.COMPACT_AT - 1; i++) {
      panes.add(pane(LakeZone.REJECTED, null, "r" + i, 1));
      last = commit(LakeZone.REJECTED, false, List.of(panes.get(i)), last).lastCommitted();
    }
    assertEquals(PaneCommit.COMPACT_AT - 1, lake.currentFiles(LakeZone.REJECTED).size());
    Long beforeLast = last;
    panes.add(pane(LakeZone.REJECTED, null, "r-last", 2));
    PaneCommit.Result compacting = commit(LakeZone.REJECTED, false, List.of(panes.get(panes.size() - 1)), last);
    assertEquals(PaneCommit.COMPACT_AT, compacting.compacted());
    List<String> now = lake.currentFiles(LakeZone.REJECTED);
    assertEquals(1, now.size(), "one file: " + now);
    assertNotEquals(panes.get(0), now.get(0));
    assertEquals(PaneCommit.COMPACT_AT + 1, rows(LakeZone.REJECTED));
    assertEquals("replace", table(LakeZone.REJECTED).currentSnapshot().operation());

    PaneCommit.Result replay = commit(LakeZone.REJECTED, false, List.of(panes.get(panes.size() - 1)), beforeLast);
    assertEquals(List.of(0, 1), List.of(replay.committed(), replay.replayed()), "found in the commit before compaction");
    assertEquals(PaneCommit.COMPACT_AT + 1, rows(LakeZone.REJECTED));
  }

  private PaneCommit.Result commit(LakeZone zone, boolean replacesDays, List<String> paths, Long last)
      throws Exception {
    return PaneCommit.commit(lake, zone, replacesDays, paths, last, RUN);
  }

  /** A pane file of {@code zone} in its date's folder (the zone's folder without a date). */
  private String pane(LakeZone zone, String date, String name, int rows) throws Exception {
    Path folder = tmp.resolve(zone.location());
    Path file = (date == null ? folder : folder.resolve(LakeZone.partition(date))).resolve("pane-" + name + ".parquet");
    ZoneRows.write(file, zone, date, rows);
    return file.toString();
  }

  private Table table(LakeZone zone) {
    Table t = lake.existing(zone);
    t.refresh();
    return t;
  }

  private long rows(LakeZone zone) throws Exception {
    long n = 0;
    try (CloseableIterable<Record> records = IcebergGenerics.read(table(zone)).build()) {
      for (Record ignored : records) {
        n++;
      }
    }
    return n;
  }
}
