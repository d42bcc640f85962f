package io.fluxops.metering.logging;

/**
 * Sends every {@link System.Logger} (the sidecar's and the JDK's own) to standard error, one line
 * per record, at INFO and above. Replacing java.util.logging matters at shutdown: its shutdown hook
 * closes its handlers, racing with the hook that flushes the journal and logs the outcome.
 */
public final class StderrLoggerFinder extends System.LoggerFinder {
  @Override
  public System.Logger getLogger(String name, Module module) {
    return new StderrLogger(name);
  }
}
