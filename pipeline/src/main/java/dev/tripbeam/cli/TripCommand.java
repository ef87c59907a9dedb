package dev.tripbeam.cli;

import dev.tripbeam.io.Messages;
import dev.tripbeam.options.OptionChecks;
import dev.tripbeam.options.RunRequest;
import dev.tripbeam.options.TripPipelineOptions;
import dev.tripbeam.run.Outcome;
import dev.tripbeam.run.RunListener;
import dev.tripbeam.run.TripRun;
import dev.tripbeam.run.UserError;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The command line of the tripbeam job, the class scripts and job jars name: parses and checks the options, keeps the
 * terminal for tripbeam's own lines (the engines' logs go to a per-run log file unless {@code --verbose}), reports
 * progress, runs the request ({@link TripRun}) and maps the outcome to an exit code: 0 done and reconciled, 1 the run
 * failed or did not reconcile, 2 bad options, 3 the lake is published but the serving database could not be loaded.
 * Inputs: the arguments; outputs: the console lines and the log file; options: {@link TripPipelineOptions} and the
 * runner's.
 */
public final class TripCommand {
  static final String VERBOSE_PROPERTY = "tripbeam.verbose";
  static final String LOG_DIR_PROPERTY = "tripbeam.logDir";

  private TripCommand() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the process exit code (0 ok, 1 run failed, 2 bad options, 3 serving failed). */
  public static int execute(String[] args) {
    if (Arrays.asList(args).contains("--logFormat=json")) {
      TripConsole.structured();
    }
    Integer answered = answerWithoutRunning(args);
    if (answered != null) {
      return answered;
    }
    CommandLine line = CommandLine.of(args);
    RunRequest request;
    try {
      request = OptionChecks.check(parse(args, line));
    } catch (IllegalArgumentException e) {
      return usageError(Messages.firstLine(e.getMessage(), "invalid options"));
    }
    TripPipelineOptions options = request.options();
    TripConsole.context("run_id", options.getRunId());
    TripConsole.context("runner", request.runnerName());
    TripConsole.context("lake_root", options.getOutput());
    TripConsole.context("source", options.getInput());
    if (!options.getVerbose() && !Boolean.getBoolean(VERBOSE_PROPERTY)) {
      Path log = logDir(options).resolve(options.getRunId() + ".log");
      try {
        TripConsole.routeEnginesTo(log);
      } catch (IOException e) {
        return usageError("cannot write the log file " + log + ": " + e.getMessage());
      }
    }
    return run(request, line);
  }

  /** The arguments with the profile's default runner and the runner settings tripbeam adds unless given. */
  public static String[] withRunnerSettings(String[] args) {
    return CommandLine.of(args).args();
  }

  /** {@code --help}, a credential on the command line, an argument that is not an option: answered without a run. */
  private static Integer answerWithoutRunning(String[] args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h") || arg.equals("--help=true")) {
        TripConsole.out().print(HelpText.render(System.getProperty(CommandLine.DEFAULT_RUNNER_PROPERTY)));
        return 0;
      }
    }
    String refusal = CredentialGuard.refusal(args);
    if (refusal != null) {
      return usageError(refusal);
    }
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        return usageError("argument " + (i + 1) + " does not start with '--': options are --name=value");
      }
    }
    for (String arg : args) {
      if (arg.startsWith("--help=")) {
        PipelineOptionsFactory.fromArgs(arg).create();
        return 0;
      }
    }
    return null;
  }

  /** Beam's parse of the arguments; a serve-only command runs no pipeline, so it needs no runner. */
  private static TripPipelineOptions parse(String[] args, CommandLine line) {
    PipelineOptionsFactory.register(TripPipelineOptions.class);
    PipelineOptionsFactory.Builder parsed = PipelineOptionsFactory.fromArgs(line.args());
    List<String> given = Arrays.asList(args);
    boolean serveOnly = given.contains("--serveOnly=true") || given.contains("--serveOnly");
    return (serveOnly ? parsed : parsed.withValidation()).as(TripPipelineOptions.class);
  }

  private static int run(RunRequest request, CommandLine line) {
    ProgressReporter progress = ProgressReporter.start(line.engine(), line.restBase(), TripConsole.err());
    try {
      Outcome outcome = TripRun.run(request, listener(progress, line));
      progress.close();
      TripConsole.out().print(outcome.summary);
      TripConsole.out().printf(
          Locale.ROOT, "  wall time   %.1f s (the whole command, from the JVM's start)%n", sinceJvmStart());
      if (TripConsole.logFile() != null) {
        TripConsole.out().println("  engine log  " + TripConsole.logFile());
      }
      CloudWatchMetricsFile.write(request.options(), outcome);
      OutcomeMessages.explain(request.options(), outcome);
      return outcome.exitCode();
    } catch (UserError e) {
      progress.close();
      TripConsole.error("tripbeam: " + e.getMessage());
      return 1;
    } catch (RuntimeException | LinkageError e) {
      // A LinkageError is a library of another version first on the classpath (the cluster's): said, not swallowed.
      progress.close();
      TripConsole.error("tripbeam: the run failed: " + Messages.rootCause(e));
      if (Boolean.getBoolean("tripbeam.debug")) {
        e.printStackTrace(TripConsole.err());
      } else {
        TripConsole.err().println("tripbeam: rerun with -Dtripbeam.debug=true for the stack trace");
      }
      if (TripConsole.logFile() != null) {
        TripConsole.err().println("tripbeam: the engines' log: " + TripConsole.logFile());
      }
      return 1;
    } finally {
      // The engines stay routed to the log until the JVM exits: their shutdown hooks still write.
      System.out.flush();
    }
  }

  /** The console's side of a run: its phases on the progress line, its notices and log context, Spark's sizing. */
  private static RunListener listener(ProgressReporter progress, CommandLine line) {
    return new RunListener() {
      @Override
      public void phase(String phase) {
        progress.phase(phase);
      }

      @Override
      public void line(String text) {
        TripConsole.err().println(text);
      }

      @Override
      public void context(String key, Object value) {
        TripConsole.context(key, value);
      }

      @Override
      public void engineStarting(int rawFiles) {
        if (line.sizesSparkPartitions()) {
          SparkArguments.sizePartitions(rawFiles);
        }
      }
    };
  }

  private static double sinceJvmStart() {
    return (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
  }

  private static int usageError(String message) {
    TripConsole.error("tripbeam: " + message);
    TripConsole.error("tripbeam: see --help for the options");
    return 2;
  }

  private static Path logDir(TripPipelineOptions options) {
    String dir = options.getLogDir();
    if (dir == null || dir.isBlank()) {
      dir = System.getProperty(LOG_DIR_PROPERTY, "target/tripbeam-logs");
    }
    return Path.of(dir);
  }
}
