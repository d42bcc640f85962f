package io.fluxops.loader;

import io.fluxops.common.ByteSizes;
import io.fluxops.loader.config.ConfigException;
import io.fluxops.loader.config.ConfigLoader;
import io.fluxops.loader.config.LoaderConfig;
import io.fluxops.loader.config.Proxies;
import io.fluxops.loader.download.SnapshotLoad;
import io.fluxops.loader.hub.Backoff;
import io.fluxops.loader.hub.HubClient;
import io.fluxops.loader.json.JsonText;
import io.fluxops.loader.outcome.LoadFailure;
import io.fluxops.loader.outcome.Outcome;
import io.fluxops.loader.status.Progress;
import io.fluxops.loader.status.StatusServer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Entry point of the model loader: fills the cache from the Hub as the environment says, serves its
 * progress on {@code /status} meanwhile, and ends with an exit code and a termination message that
 * say how it went (see {@link Outcome}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Before the first logger exists: one line per record, UTC timestamp first.
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s - %5$s%6$s%n");
    System.setProperty("user.timezone", "UTC");
    Map<String, String> env = System.getenv();
    Outcome outcome = run(env);
    terminationLog(env).ifPresent(file -> writeQuietly(file, outcome));
    System.err.flush();
    System.exit(outcome.exitCode());
  }

  /** One load as the environment says, without exiting: what {@link #main} runs. */
  public static Outcome run(Map<String, String> env) {
    System.Logger log = System.getLogger(Main.class.getName());
    LoaderConfig config;
    try {
      Proxies.properties(env).forEach(System::setProperty);
      config = ConfigLoader.load(env);
    } catch (ConfigException e) {
      System.err.println("fluxops-loader: configuration error: " + e.getMessage());
      return Outcome.configuration(e.getMessage());
    }
    Progress progress = new Progress(config.repo(), config.revision(), System::nanoTime);
    try (StatusServer status =
        new StatusServer(config.listenAddress(), config.listenPort(), progress)) {
      log.log(
          Level.INFO,
          "fluxops-loader "
              + config.repo()
              + " at "
              + config.revision()
              + " into "
              + config.cacheDir()
              + ", status on port "
              + status.port());
      HubClient hub =
          new HubClient(
              config,
              new Backoff(
                  config.maxBackoff(), new SplittableRandom(), d -> Thread.sleep(d.toMillis())));
      long started = System.nanoTime();
      SnapshotLoad.Result result = new SnapshotLoad(config, hub, progress).run();
      String message =
          (result.alreadyComplete() ? "already complete: " : "complete: ")
              + result.files()
              + " files, "
              + ByteSizes.show(result.bytes())
              + " in "
              + result.snapshot()
              + (result.alreadyComplete()
                  ? ""
                  : ", "
                      + ByteSizes.show(progress.bytesFetched())
                      + " fetched in "
                      + (System.nanoTime() - started) / 1_000_000
                      + " ms");
      log.log(Level.INFO, message);
      return Outcome.complete(result.commit(), result.bytes(), result.files(), message);
    } catch (LoadFailure e) {
      progress.failed(e.reason(), e.getMessage());
      log.log(Level.ERROR, e.reason().conditionReason() + ": " + e.getMessage());
      return Outcome.failed(e, progress.commit());
    } catch (IOException e) {
      String message =
          "cannot serve /status on "
              + config.listenAddress()
              + ":"
              + config.listenPort()
              + ": "
              + e;
      System.err.println("fluxops-loader: " + message);
      return Outcome.configuration(message);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.bug(e);
    } catch (RuntimeException | Error e) {
      log.log(Level.ERROR, "fluxops-loader failed", e);
      return Outcome.bug(e);
    }
  }

  private static Optional<Path> terminationLog(Map<String, String> env) {
    String raw =
        env.getOrDefault(
            io.fluxops.loader.config.Setting.TERMINATION_LOG.key(),
            io.fluxops.loader.config.Setting.TERMINATION_LOG.defaultValue().orElse(""));
    return raw.isBlank() ? Optional.empty() : Optional.of(Path.of(raw.strip()));
  }

  private static void writeQuietly(Path file, Outcome outcome) {
    try {
      Files.writeString(file, JsonText.write(outcome.document()), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      // Outside a pod the default /dev/termination-log may not exist: the exit code still tells.
    }
  }
}
