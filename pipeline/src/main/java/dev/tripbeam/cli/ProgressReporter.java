package dev.tripbeam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.options.Engine;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints a progress line every {@link #INTERVAL} (10 s; {@code -Dtripbeam.progressSeconds=N}) while a run goes on, from the engine's own REST API: Flink's job
 * overview and vertices (records passed between stages, the running steps), or the Spark driver's stages and tasks.
 * Without such an API (DirectRunner, a Flink configuration of the user's own) the line gives the elapsed time only.
 * Inputs: the engine's REST address (may be null); output: lines on tripbeam's console; no options.
 */
final class ProgressReporter implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofSeconds(Long.getLong("tripbeam.progressSeconds", 10));
  private static final Duration JOB_ID_POLL = Duration.ofSeconds(1);
  private static final Pattern STEP = Pattern.compile("at ([A-Z][A-Za-z0-9]+)/");

  private final Engine engine;
  private final String restBase;
  private final PrintStream console;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final long start = System.nanoTime();
  private final long startMillis = System.currentTimeMillis();
  private final Thread thread;
  private volatile String phase = "preparing";
  private volatile boolean stopped;
  /** The engine's id of this run's job (Flink job id, Spark application id), once the REST API lists it. */
  private volatile String jobId;

  private ProgressReporter(Engine engine, String restBase, PrintStream console) {
    this.engine = restBase == null ? Engine.OTHER : engine;
    this.restBase = restBase;
    this.console = console;
    this.thread = new Thread(this::loop, "tripbeam-progress");
    this.thread.setDaemon(true);
  }

  /** Starts reporting; {@code restBase} like {@code http://127.0.0.1:8081}, or null. */
  static ProgressReporter start(Engine engine, String restBase, PrintStream console) {
    ProgressReporter p = new ProgressReporter(engine, restBase, console);
    p.thread.start();
    return p;
  }

  /** What the run does when the engine has nothing to tell (listing inputs, publishing). */
  void phase(String phase) {
    this.phase = phase;
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }

  private void loop() {
    long next = System.nanoTime() + INTERVAL.toNanos();
    while (!stopped) {
      try {
        Thread.sleep(Math.min(JOB_ID_POLL.toMillis(), Math.max(1, (next - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        return;
      }
      if (stopped) {
        return;
      }
      if (jobId == null && (engine == Engine.FLINK || engine == Engine.SPARK)) {
        try {
          jobId = engine == Engine.FLINK ? newestFlinkJob() : sparkApplication();
        } catch (Exception e) {
          jobId = null;
        }
        if (jobId != null) {
          TripConsole.context("job_id", jobId);
        }
      }
      if (System.nanoTime() < next) {
        continue;
      }
      next += INTERVAL.toNanos();
      String state;
      try {
        state = engine == Engine.FLINK ? flink() : engine == Engine.SPARK ? spark() : null;
      } catch (Exception e) {
        state = null;
      }
      long s = Duration.ofNanos(System.nanoTime() - start).toSeconds();
      console.printf(
          Locale.ROOT, "tripbeam: %d:%02d %s%n", s / 60, s % 60, state == null ? phase : state);
    }
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(restBase + path)).timeout(Duration.ofSeconds(3)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? json.readTree(r.body()) : null;
  }

  /** This run's Flink job id: the newest job started since the run began (a cluster also lists earlier jobs). */
  private String newestFlinkJob() throws Exception {
    JsonNode overview = get("/jobs/overview");
    if (overview == null || overview.get("jobs").isEmpty()) {
      return null;
    }
    JsonNode newest = null;
    for (JsonNode j : overview.get("jobs")) {
      long started = j.get("start-time").asLong();
      if (started >= startMillis - 5_000
          && (newest == null || started > newest.get("start-time").asLong())) {
        newest = j;
      }
    }
    return newest == null ? null : newest.get("jid").asText();
  }

  /** The Spark application's id. */
  private String sparkApplication() throws Exception {
    JsonNode apps = get("/api/v1/applications");
    return apps == null || apps.isEmpty() ? null : apps.get(0).get("id").asText();
  }

  /** The newest Flink job: its running steps, records passed between its stages, stages finished. */
  private String flink() throws Exception {
    String id = jobId != null ? jobId : newestFlinkJob();
    if (id == null) {
      return null;
    }
    JsonNode job = get("/jobs/" + id);
    if (job == null) {
      return null;
    }
    long records = 0;
    int finished = 0;
    Set<String> running = new LinkedHashSet<>();
    for (JsonNode v : job.get("vertices")) {
      records += v.at("/metrics/write-records").asLong();
      String status = v.get("status").asText();
      if (status.equals("FINISHED")) {
        finished++;
      } else if (status.equals("RUNNING")) {
        running.addAll(steps(v.get("name").asText()));
      }
    }
    return String.format(
        Locale.ROOT,
        "Flink job %s: %,d records passed between stages, %d of %d stages done%s",
        job.get("state").asText(),
        records,
        finished,
        job.get("vertices").size(),
        running(running));
  }

  private static String running(Set<String> steps) {
    if (steps.isEmpty()) {
      return "";
    }
    List<String> shown = new ArrayList<>(steps).subList(0, Math.min(4, steps.size()));
    return "; running " + String.join(", ", shown) + (steps.size() > shown.size() ? " and more" : "");
  }

  /** The Spark application: tasks done of the jobs so far, the active stages' steps. */
  private String spark() throws Exception {
    String app = jobId != null ? jobId : sparkApplication();
    if (app == null) {
      return null;
    }
    JsonNode jobs = get("/api/v1/applications/" + app + "/jobs");
    JsonNode stages = get("/api/v1/applications/" + app + "/stages?status=active");
    long done = 0;
    long total = 0;
    for (JsonNode j : jobs) {
      done += j.get("numCompletedTasks").asLong();
      total += j.get("numTasks").asLong();
    }
    Set<String> running = new LinkedHashSet<>();
    for (JsonNode st : stages) {
      running.addAll(steps(st.at("/details").asText("") + " " + st.at("/name").asText("")));
    }
    return String.format(
        Locale.ROOT,
        "Spark: %,d of %,d tasks done in %d job(s)%s",
        done,
        total,
        jobs.size(),
        running(running));
  }

  /** The top-level tripbeam steps a stage name mentions ({@code ... at ValidateTrips/...}). */
  static List<String> steps(String stageName) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = STEP.matcher(stageName);
    while (m.find() && out.size() < 4) {
      out.add(m.group(1));
    }
    return new ArrayList<>(out);
  }
}
