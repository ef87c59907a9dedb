package dev.tripbeam.lake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;

/**
 * The publication of a run's staged outputs as table commits. A run's pipeline writes only into its staging area
 * {@code _temporary/<runId>/out/}. Publishing follows a plan written first to {@code _pending/<runId>.json}: copy the
 * staged files into the zones' folders (named {@code <runId>-<file>}; no table lists them yet), commit each zone's
 * table (one snapshot each, in {@link LakeZone} order, checked against the snapshot the run started from), write the
 * run report, commit the run's raw files to the ledger, and remove the plan. Every step can be repeated and a table
 * that already holds the run's snapshot is skipped, so a plan left pending by a run that died while publishing is
 * rolled forward by the next run before it does anything else; a run that died before its plan was written left
 * nothing in any table, and its staging area is removed. A run whose first commit finds that another run committed
 * the same dates since it started commits nothing and fails with {@link ConcurrentRunException}.
 */
public final class Publication {
  /** Writes a run report (and whatever view of it belongs beside it) to a path. */
  @FunctionalInterface
  public interface ReportWriter {
    void write(String path, String json) throws IOException;
  }

  /** Another run committed, since this one started, to the dates this one recomputed: nothing of it was committed. */
  public static final class ConcurrentRunException extends IOException {
    ConcurrentRunException(String message) {
      super(message);
    }
  }

  private final IcebergLake tables;
  private final LakeLayout layout;
  private final ReportWriter reportWriter;

  public Publication(IcebergLake tables, ReportWriter reportWriter) {
    this.tables = tables;
    this.layout = tables.layout();
    this.reportWriter = reportWriter;
  }

  /**
   * The plan of a finished pipeline: every staged file goes into its zone's folder; a full refresh replaces every
   * table's files, an incremental or reprocess run the partitions of the pickup dates it recomputed ({@code
   * touchedDates}, and every date it wrote) and adds its rejected records; {@code bases} are the tables' snapshots when the run started.
   */
  public PublicationPlan plan(
      String runId, RunMode mode, List<RawFile> rawFiles, List<String> touchedDates, Map<String, Long> bases,
      String report) throws IOException {
    LakeLayout staged = layout.staged(runId);
    Map<String, String> copies = new LinkedHashMap<>();
    for (String file : LakeFiles.paths(staged.root() + "/**")) {
      String relative = file.substring(staged.root().length() + 1);
      int slash = relative.lastIndexOf('/');
      String dir = slash < 0 ? "" : relative.substring(0, slash + 1);
      copies.put(file, layout.root() + "/" + dir + runId + "-" + relative.substring(slash + 1));
    }
    // An incremental run onto a lake without history recomputes every date it writes, and reports none as touched.
    SortedSet<String> dates = new TreeSet<>(touchedDates);
    String marker = "/" + LakeZone.PARTITION_COLUMN + "=";
    for (String target : copies.values()) {
      int at = target.lastIndexOf(marker);
      if (at >= 0) {
        dates.add(target.substring(at + marker.length(), target.indexOf('/', at + marker.length())));
      }
    }
    return new PublicationPlan(
        runId, mode, rawFiles, List.copyOf(dates), bases, copies, layout.report(runId), report);
  }

  /** Publishes a plan: records it as pending, copies, commits every table and the ledger, and removes the plan. */
  public void publish(PublicationPlan plan) throws IOException {
    LakeFiles.write(pendingPath(plan.runId()), plan.toJson());
    tables.writing(() -> complete(plan, false));
  }

  /**
   * Rolls forward the publications that runs left pending, and removes the staging areas of runs that died before
   * theirs.
   *
   * @return for each run completed, a line naming the tables it committed now
   */
  public List<String> recover() throws IOException {
    return tables.writing(this::rollForward);
  }

  private List<String> rollForward() throws IOException {
    List<String> completed = new ArrayList<>();
    Set<String> pending = new HashSet<>();
    for (String path : LakeFiles.paths(layout.pending() + "/*.json")) {
      PublicationPlan plan = PublicationPlan.parse(LakeFiles.read(path));
      List<String> committed = complete(plan, true);
      completed.add(
          "run " + plan.runId() + " (" + (committed.isEmpty() ? "every table was committed" : "committed now: "
              + String.join(", ", committed)) + ")");
      pending.add(plan.runId());
    }
    Set<String> stale = new HashSet<>();
    for (String file : LakeFiles.paths(layout.stagingRoot() + "/**")) {
      String rest = file.substring(file.indexOf("/_temporary/") + "/_temporary/".length());
      int slash = rest.indexOf('/');
      stale.add(slash < 0 ? rest : rest.substring(0, slash));
    }
    stale.removeAll(pending);
    for (String runId : stale) {
      LakeFiles.deleteTree(layout.staging(runId));
    }
    return completed;
  }

  /** Copies, commits what is not committed yet, and finishes; returns the tables committed now. */
  private List<String> complete(PublicationPlan plan, boolean recovering) throws IOException {
    copy(plan);
    List<String> committed = new ArrayList<>();
    for (LakeZone zone : LakeZone.values()) {
      Table table = tables.ensure(zone);
      if (committedBy(table, plan.runId())) {
        continue;
      }
      try {
        TableCommit.commit(
            table, zone, plan.mode(), plan.dates(), ZoneFiles.of(table, zone, plan.filesUnder(layout.zone(zone))),
            plan.bases().get(zone.zoneName()), plan.runId(), Map.of("tripbeam.mode", plan.mode().label()));
      } catch (ValidationException | CommitFailedException e) {
        if (committed.isEmpty() && !recovering && zone == LakeZone.values()[0]) {
          abandon(plan);
          throw new ConcurrentRunException(
              "another run committed to the lake since run " + plan.runId() + " started (" + e.getMessage()
                  + "); nothing of this run was committed: run it again");
        }
        throw new IOException("committing " + zone.zoneName() + " of run " + plan.runId() + " failed: " + e.getMessage());
      }
      committed.add(zone.zoneName());
    }
    reportWriter.write(plan.reportPath(), plan.report());
    Table ledger = tables.ensureLedger();
    if (!committedBy(ledger, plan.runId())) {
      RawFilesLedger.commit(ledger, plan.mode(), plan.runId(), plan.rawFiles());
      committed.add(RawFilesLedger.NAME);
    }
    LakeFiles.delete(List.of(pendingPath(plan.runId())));
    LakeFiles.deleteTree(layout.staging(plan.runId()));
    return committed;
  }

  /** Copies the staged files into the zones' folders (one call, which S3 runs in parallel); done copies are skipped. */
  private void copy(PublicationPlan plan) throws IOException {
    Set<String> staged = new HashSet<>(LakeFiles.paths(layout.staged(plan.runId()).root() + "/**"));
    List<String> from = new ArrayList<>();
    List<String> to = new ArrayList<>();
    for (Map.Entry<String, String> copy : plan.copies().entrySet()) {
      if (staged.contains(copy.getKey())) {
        from.add(copy.getKey());
        to.add(copy.getValue());
      } else if (!LakeFiles.exists(copy.getValue())) {
        throw new IOException("cannot publish " + copy.getValue() + ": its staged file " + copy.getKey() + " is gone");
      }
    }
    LakeFiles.copy(from, to);
  }

  /** Removes a run that committed nothing: its plan, its copies in the zones' folders and its staging area. */
  private void abandon(PublicationPlan plan) throws IOException {
    LakeFiles.delete(List.of(pendingPath(plan.runId())));
    LakeFiles.delete(plan.copies().values());
    LakeFiles.deleteTree(layout.staging(plan.runId()));
  }

  private static boolean committedBy(Table table, String runId) {
    for (Snapshot s : table.snapshots()) {
      if (runId.equals(s.summary().get(TableCommit.RUN_ID))) {
        return true;
      }
    }
    return false;
  }

  private String pendingPath(String runId) {
    return layout.pending() + "/" + runId + ".json";
  }
}
