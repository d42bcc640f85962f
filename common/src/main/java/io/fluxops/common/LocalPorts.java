package io.fluxops.common;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ports for servers started on this machine and reached again at the same number (the sandbox's
 * pods, a test's sidecar restarted on its port). They come from below every system's ephemeral
 * range (Linux 32768-60999, macOS and Windows 49152-65535): a port found free there stays free
 * until the server binds it, where a port bind(0) handed out and that was closed again can
 * meanwhile go to another process or become some connection's local port.
 */
public final class LocalPorts {

  /** The first port of the range. */
  public static final int FIRST = 20_000;

  /** How many ports the range holds: 20000-29999. */
  public static final int COUNT = 10_000;

  private LocalPorts() {}

  /** Whether nothing on this machine holds {@code port} on {@code address} now. */
  public static boolean bindable(InetAddress address, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(address, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
