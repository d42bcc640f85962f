package io.fluxops.loader.support;

import io.fluxops.loader.config.ConfigException;
import io.fluxops.loader.config.ConfigLoader;
import io.fluxops.loader.config.LoaderConfig;
import io.fluxops.loader.download.SnapshotLoad;
import io.fluxops.loader.hub.Backoff;
import io.fluxops.loader.hub.HubClient;
import io.fluxops.loader.outcome.LoadFailure;
import io.fluxops.loader.standin.StandInHub;
import io.fluxops.loader.status.Progress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs the loader in-process against a stand-in Hub, with waits recorded instead of slept. */
public final class TestLoads {
  private final Map<String, String> env = new HashMap<>();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private Progress progress;

  private TestLoads(StandInHub hub, Path cache, String repo) {
    env.put("FLUXOPS_HF_ENDPOINT", hub.endpoint().toString());
    env.put("FLUXOPS_HF_REPO", repo);
    env.put("FLUXOPS_CACHE_DIR", cache.toString());
    env.put("FLUXOPS_LISTEN_PORT", "0");
    env.put("FLUXOPS_LISTEN_ADDRESS", "127.0.0.1");
    env.put("FLUXOPS_TERMINATION_LOG", "");
    env.put("FLUXOPS_REQUEST_TIMEOUT_SECONDS", "10");
  }

  public static TestLoads of(StandInHub hub, Path cache, String repo) {
    return new TestLoads(hub, cache, repo);
  }

  public TestLoads set(String key, String value) {
    env.put(key, value);
    return this;
  }

  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  public LoaderConfig config() {
    try {
      return ConfigLoader.load(env);
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One load, as Main runs it, but without sleeping between tries. */
  public SnapshotLoad.Result run() throws LoadFailure, InterruptedException {
    LoaderConfig config = config();
    progress = new Progress(config.repo(), config.revision(), System::nanoTime);
    HubClient hub =
        new HubClient(
            config, new Backoff(config.maxBackoff(), new SplittableRandom(7), waits::add));
    return new SnapshotLoad(config, hub, progress).run();
  }

  /** The waits between tries of the last runs. */
  public List<Duration> waits() {
    return List.copyOf(waits);
  }

  public Progress progress() {
    return progress;
  }
}
