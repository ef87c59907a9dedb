package dev.tripbeam.tests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports of 127.0.0.1 for the servers tests start, and ports where nothing listens. */
final class Ports {
  private Ports() {}

  /** A port that was free a moment ago (the kernel's pick): a server started on it next will most likely get it. */
  static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
