package dev.tripbeam.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Reading {@code --name=value} arguments before Beam parses them, and a free local port for an engine's REST API. */
final class Arguments {
  private static final int LOWEST_PORT = 20_000;

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

  /**
   * A port free on 127.0.0.1 now, for a server that binds it seconds later (after the graph is translated). It is
   * drawn below the kernel's ephemeral range: a port the kernel hands out for a bind to port 0 or an outgoing
   * connection (the engine's own RPC, blob and shuffle servers take several while it starts) could take it in between,
   * which failed a run with "Could not start rest endpoint on any port".
   */
  static int freePort() throws IOException {
    int below = ephemeralLow();
    int lowest = Math.min(LOWEST_PORT, below / 2);
    IOException last = null;
    for (int i = 0; i < 64; i++) {
      int port = lowest + ThreadLocalRandom.current().nextInt(below - lowest);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IOException("no free port on 127.0.0.1 between " + lowest + " and " + below, last);
  }

  /**
   * The first port of the kernel's ephemeral range (Linux), or the range's usual start elsewhere. Read by lines: a
   * whole-file read of this /proc file returned its first byte alone here.
   */
  static int ephemeralLow() {
    try {
      String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > 2_048 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
