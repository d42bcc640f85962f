package io.fluxops.metering.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port for a sidecar a test starts, restarts and reaches at the same number. A port the system
 * handed out with bind(0) and that was closed again is handed out again to the next process that
 * asks (several builds run on one machine), so it is drawn here from below every system's ephemeral
 * range (Linux 32768-60999, Windows and macOS 49152-65535), where no bind(0) lands.
 */
public final class ListenPorts {

  private static final int FIRST = 20_000;
  private static final int LAST = 29_999;

  private ListenPorts() {}

  /** A port from 20000-29999 that nothing on this machine listens on now. */
  public static int unused() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST + 1);
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return probe.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IllegalStateException("no free port in " + FIRST + "-" + LAST + " after 100 tries");
  }
}
