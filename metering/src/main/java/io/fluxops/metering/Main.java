package io.fluxops.metering;

import io.fluxops.metering.config.Config;
import io.fluxops.metering.config.ConfigException;
import io.fluxops.metering.config.ConfigLoader;
import io.fluxops.metering.http.ServerLimits;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Entry point of the metering sidecar. Exit codes: 0 after a stop that reported everything; 1 after
 * a stop that left images pending in the journal, or a failure to start; 2 when the configuration
 * (environment, key file, journal directory, port) is unusable.
 */
public final class Main {
  /** Exit code for a configuration a person must fix. */
  public static final int EXIT_CONFIG = 2;

  private Main() {}

  public static void main(String[] args) {
    // Before the first logger exists: one line per record, UTC timestamp first.
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s - %5$s%6$s%n");
    System.setProperty("user.timezone", "UTC");
    ServerLimits.apply();
    System.Logger log = System.getLogger(Main.class.getName());
    Sidecar sidecar;
    try {
      Config config = ConfigLoader.load(System.getenv());
      for (String unknown : ConfigLoader.unknownVariables(System.getenv())) {
        log.log(Level.WARNING, "ignoring " + unknown + ": the sidecar reads no such variable");
      }
      sidecar = Sidecar.start(config, Clock.systemUTC(), new SplittableRandom());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(sidecar), "shutdown"));
      log.log(
          Level.INFO,
          "fluxops-metering "
              + config.model().slug()
              + " ("
              + config.counting().value()
              + " counting): usage on "
              + sidecar.usageAddress()
              + ":"
              + sidecar.usagePort()
              + ", metrics and status on port "
              + sidecar.port()
              + ", started in "
              + sinceProcessStart().toMillis()
              + " ms");
    } catch (ConfigException e) {
      System.err.println("fluxops-metering: configuration error: " + e.getMessage());
      System.exit(EXIT_CONFIG);
    } catch (RuntimeException | Error e) {
      log.log(Level.ERROR, "fluxops-metering failed to start", e);
      System.exit(1);
    }
  }

  /**
   * On SIGTERM: flush, then end the process with an exit code that says whether anything is still
   * pending (0: all reported; 1: the rest waits in the journal). The JVM would otherwise report 143
   * for every SIGTERM, hiding the outcome from the pod's container status.
   */
  private static void stop(Sidecar sidecar) {
    boolean allReported = sidecar.stop();
    System.err.flush();
    Runtime.getRuntime().halt(allReported ? 0 : 1);
  }

  private static Duration sinceProcessStart() {
    Instant start = ProcessHandle.current().info().startInstant().orElse(Instant.now());
    return Duration.between(start, Instant.now());
  }
}
