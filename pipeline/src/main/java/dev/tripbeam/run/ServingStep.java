package dev.tripbeam.run;

import dev.tripbeam.options.RunRequest;
import dev.tripbeam.options.TripPipelineOptions;
import dev.tripbeam.lake.IcebergLake;
import dev.tripbeam.serving.ServingLoader;
import dev.tripbeam.serving.ServingSchema;
import dev.tripbeam.serving.ServingLogin;
import dev.tripbeam.serving.ServingTarget;
import java.io.IOException;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The serving database of a run and its login, resolved before the run so that a missing login fails early; loads it
 * level with the lake after publication ({@link ServingLoader}). Options: {@code --servingJdbcUrl}, {@code
 * --servingSecretArn}, {@code --servingMaxConnections}.
 */
record ServingStep(ServingTarget target, ServingLogin login, int maxConnections) {
  /** The run's serving database, or null when it has none. */
  static @Nullable ServingStep of(RunRequest request) {
    if (!request.serves()) {
      return null;
    }
    TripPipelineOptions options = request.options();
    ServingTarget target = ServingTarget.parse(options.getServingJdbcUrl());
    try {
      ServingLogin login =
          ServingLogin.resolve(
              target,
              options.getServingSecretArn(),
              options.getAwsRegion(),
              options.getAwsCredentialsProvider(),
              System.getenv());
      return new ServingStep(target, login, options.getServingMaxConnections());
    } catch (IOException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** Brings the serving schema up to date before a stream upserts into it. */
  void migrate() {
    try {
      ServingSchema.migrate(target, login);
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage() + " (" + target.shown() + ")");
    }
  }

  ServingLoader.Result level(IcebergLake lake, String runId) {
    return level(lake, runId, null);
  }

  /** Loads the database level with the lake, or with the lake as run {@code asOfRun} left it when not null. */
  ServingLoader.Result level(IcebergLake lake, String runId, @Nullable String asOfRun) {
    try {
      return ServingLoader.level(target, login, lake, runId, asOfRun, maxConnections);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** The summary line of a load. */
  String line(ServingLoader.Result loaded) {
    return String.format(Locale.ROOT, "  serving     %s%n", loaded.line(target));
  }
}
