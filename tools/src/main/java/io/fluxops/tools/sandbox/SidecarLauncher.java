package io.fluxops.tools.sandbox;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Starts the real metering sidecar's main class with the terminal's Ctrl-C (SIGINT) ignored. A
 * terminal sends Ctrl-C to every process of the sandbox; in a cluster no such signal reaches a pod,
 * and the kubelet sends SIGTERM to a native sidecar only after its server has stopped, which the
 * sandbox does as well (SIGTERM is not touched). Without this, a sidecar would flush and exit while
 * its server still posts, and an image whose post it had journalled but not answered would be
 * posted again to its restarted self. The sandbox puts this one class, and only it, beside the
 * sidecar's jar.
 */
public final class SidecarLauncher {

  private SidecarLauncher() {}

  /**
   * @param args the sidecar's main class, then its arguments
   */
  public static void main(String[] args) throws Throwable {
    Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
