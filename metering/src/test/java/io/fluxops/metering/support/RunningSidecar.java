package io.fluxops.metering.support;

import io.fluxops.metering.Sidecar;
import io.fluxops.metering.config.ConfigException;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;

/** An in-process sidecar with a client pointed at it; closing it stops the sidecar gracefully. */
public final class RunningSidecar implements AutoCloseable {
  private final Sidecar sidecar;
  private final LocalClient client;

  private RunningSidecar(Sidecar sidecar) {
    this.sidecar = sidecar;
    this.client = new LocalClient(sidecar.port(), sidecar.usagePort());
  }

  public static RunningSidecar start(TestConfig config) throws ConfigException {
    return new RunningSidecar(
        Sidecar.start(config.load(), Clock.systemUTC(), new SplittableRandom(7)));
  }

  public Sidecar sidecar() {
    return sidecar;
  }

  public LocalClient client() {
    return client;
  }

  /** POSTs a count and returns the HTTP status. */
  public int report(long images) throws IOException, InterruptedException {
    return client.report(images).statusCode();
  }

  /** {@code /status}, parsed. */
  public Map<String, Object> status() throws IOException, InterruptedException {
    return client.status();
  }

  /** A number from {@code /status}. */
  public long statusNumber(String field) throws IOException, InterruptedException {
    return client.statusNumber(field);
  }

  /** {@code /metrics} as text. */
  public String metrics() throws IOException, InterruptedException {
    return client.get("/metrics").body();
  }

  @Override
  public void close() {
    sidecar.close();
  }
}
