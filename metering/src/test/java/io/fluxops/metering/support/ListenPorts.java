package io.fluxops.metering.support;

import io.fluxops.common.LocalPorts;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port for a sidecar a test starts, restarts and reaches at the same number, from {@link
 * LocalPorts}' range: several builds run on one machine, and a port bind(0) handed out and that was
 * closed again goes to the next process that asks.
 */
public final class ListenPorts {

  private ListenPorts() {}

  /** A port from {@link LocalPorts}' range that nothing on this machine listens on now. */
  public static int unused() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = LocalPorts.FIRST + ThreadLocalRandom.current().nextInt(LocalPorts.COUNT);
      if (LocalPorts.bindable(loopback, port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no free port from "
            + LocalPorts.FIRST
            + " to "
            + (LocalPorts.FIRST + LocalPorts.COUNT - 1)
            + " after 100 tries");
  }
}
