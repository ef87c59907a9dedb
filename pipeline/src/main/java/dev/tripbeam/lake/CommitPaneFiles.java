package dev.tripbeam.lake;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * Commits the files a streaming job wrote for one zone to the zone's Iceberg table, at most once per {@code
 * interval}: the single committer of the table (all paths under one key), exactly once across restores.
 *
 * <p>Input: the paths of the zone's Parquet files, as {@link dev.tripbeam.io.WritePaneFiles} gives them once the
 * checkpoint holding their pane has completed. The paths wait in checkpointed
 * state until a processing-time timer set by the first of them fires {@code interval} later; then one {@link
 * PaneCommit} commits them all, and the state keeps the snapshot made, so that a job restored from an earlier
 * checkpoint, which sends those paths again, recognises what the table already holds. Options: the lake's address,
 * the zone, append or replace the days, the interval, the run id, the snapshot expiry in days (checked at most hourly).
 * Metrics (namespace {@value #STEP}): {@code commits}, {@code files}, {@code replayed_files}, {@code compacted_files}.
 */
public final class CommitPaneFiles extends PTransform<PCollection<String>, PDone> {
  public static final String STEP = "CommitPaneFiles";

  /** What a committer needs on the workers. */
  private record Target(
      LakeAddress lake, LakeZone zone, boolean replacesDays, Duration interval, String runId, int expireDays)
      implements Serializable {}

  private final Target target;

  private CommitPaneFiles(Target target) {
    this.target = target;
  }

  /** Appends each file to the zone's table. */
  public static CommitPaneFiles appending(
      LakeAddress lake, LakeZone zone, Duration interval, String runId, int expireDays) {
    return new CommitPaneFiles(new Target(lake, zone, false, interval, runId, expireDays));
  }

  /** Each file replaces its pickup date's partition of the zone's table (a closed day's whole result). */
  public static CommitPaneFiles replacingDays(
      LakeAddress lake, LakeZone zone, Duration interval, String runId, int expireDays) {
    return new CommitPaneFiles(new Target(lake, zone, true, interval, runId, expireDays));
  }

  @Override
  public PDone expand(PCollection<String> paths) {
    paths
        .apply("CommitWindow", Window.<String>into(new GlobalWindows()))
        .apply("KeyByTable", WithKeys.of(target.zone().zoneName()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("CommitToTable", ParDo.of(new CommitFn(target)));
    return PDone.in(paths.getPipeline());
  }

  private static final class CommitFn extends DoFn<KV<String, String>, Void> {
    private static final long EXPIRY_EVERY_MS = 3_600_000L;
    private final Counter commits = Metrics.counter(STEP, "commits");
    private final Counter files = Metrics.counter(STEP, "files");
    private final Counter replayed = Metrics.counter(STEP, "replayed_files");
    private final Counter compacted = Metrics.counter(STEP, "compacted_files");
    private final Target target;
    private transient IcebergLake lake;
    private transient long lastExpiry;

    @StateId("pending")
    private final StateSpec<BagState<String>> pendingSpec = StateSpecs.bag(StringUtf8Coder.of());

    @StateId("armed")
    private final StateSpec<ValueState<Boolean>> armedSpec = StateSpecs.value(BooleanCoder.of());

    @StateId("lastCommitted")
    private final StateSpec<ValueState<Long>> lastSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("commit")
    private final TimerSpec commitSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    CommitFn(Target target) {
      this.target = target;
    }

    @Setup
    public void setup() {
      lake = target.lake().open();
    }

    @Teardown
    public void teardown() throws IOException {
      if (lake != null) {
        lake.close();
      }
    }

    @ProcessElement
    public void process(
        @Element KV<String, String> path,
        @StateId("pending") BagState<String> pending,
        @StateId("armed") ValueState<Boolean> armed,
        @TimerId("commit") Timer commit) {
      pending.add(path.getValue());
      if (armed.read() == null) {
        commit.offset(target.interval()).setRelative();
        armed.write(true);
      }
    }

    @OnTimer("commit")
    public void onCommit(
        @StateId("pending") BagState<String> pending,
        @StateId("armed") ValueState<Boolean> armed,
        @StateId("lastCommitted") ValueState<Long> lastCommitted)
        throws IOException {
      List<String> paths = new ArrayList<>();
      pending.read().forEach(paths::add);
      PaneCommit.Result r =
          PaneCommit.commit(lake, target.zone(), target.replacesDays(), paths, lastCommitted.read(), target.runId());
      pending.clear();
      armed.clear();
      replayed.inc(r.replayed());
      compacted.inc(r.compacted());
      if (r.committed() > 0) {
        commits.inc();
        files.inc(r.committed());
        lastCommitted.write(r.lastCommitted());
      }
      if (System.currentTimeMillis() - lastExpiry > EXPIRY_EVERY_MS) {
        PaneCommit.expire(lake, target.zone(), target.expireDays());
        lastExpiry = System.currentTimeMillis();
      }
    }
  }
}
