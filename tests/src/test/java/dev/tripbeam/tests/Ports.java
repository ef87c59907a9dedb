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

  /** A free port whose next port is free too (a Kafka broker and its controller). */
  static int freePair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = free();
      try (ServerSocket next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // the controller's port is in use: try another pair
      }
    }
    throw new IOException("no two free consecutive ports on 127.0.0.1");
  }
}
