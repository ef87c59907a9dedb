package dev.tripbeam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The REST port chosen for an embedded engine: free, and outside the range the kernel hands ports out of for binds to
 * port 0, which the engine's own servers make while it starts, between the choice and the REST server's bind.
 */
class FreePortTest {
  @Test
  void theChosenPortIsBindableAndBelowTheEphemeralRange() throws IOException {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    if (Files.isReadable(range)) {
      assertEquals(Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]), Arguments.ephemeralLow());
    }
    for (int i = 0; i < 20; i++) {
      int port = Arguments.freePort();
      assertTrue(port > 1_024 && port < Arguments.ephemeralLow(), "port " + port);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertEquals(port, s.getLocalPort());
      }
    }
  }

  @Test
  void aPortTheKernelHandsOutForPortZeroIsNeverChosen() throws IOException {
    try (ServerSocket ephemeral = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertTrue(ephemeral.getLocalPort() >= Arguments.ephemeralLow(), "kernel gave " + ephemeral.getLocalPort());
    }
  }
}
