package dev.tripbeam.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

/** Reading {@code --name=value} arguments before Beam parses them, and a free local port for an engine's REST API. */
final class Arguments {
  private Arguments() {}

  /** The value of {@code --name=}, or null. */
  static String value(List<String> args, String name) {
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        return a.substring(name.length() + 3);
      }
    }
    return null;
  }

  static boolean isStreaming(List<String> args) {
    return args.contains("--streaming") || "true".equals(value(args, "streaming"));
  }

  /**
   * Whether a Flink job goes to a cluster rather than an embedded mini-cluster: a remote {@code --flinkMaster}, or a
   * Flink configuration of its own (the Flink CLI sets {@code FLINK_CONF_DIR}, as on EMR).
   */
  static boolean onFlinkCluster(List<String> args) {
    return remoteFlinkMaster(args) || value(args, "flinkConfDir") != null || System.getenv("FLINK_CONF_DIR") != null;
  }

  /** Whether {@code --flinkMaster} names a remote JobManager (not {@code [local]}, {@code [auto]}). */
  static boolean remoteFlinkMaster(List<String> args) {
    String master = value(args, "flinkMaster");
    return master != null && !master.startsWith("[");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
