package io.fluxops.operator.usage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Reads a metering sidecar's {@code /status}, with a timeout so one silent pod stalls nothing. */
public final class SidecarClient {

  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http;

  public SidecarClient(Executor executor) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .executor(executor)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** The sidecar's counts; fails on a timeout, a refused connection or a bad answer. */
  public CompletableFuture<SidecarStatus> status(String podIp, int port) {
    String host = podIp.contains(":") ? "[" + podIp + "]" : podIp;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/status"))
            .timeout(TIMEOUT)
            .GET()
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException("/status answered " + response.statusCode());
              }
              try {
                return SidecarStatus.parse(response.body());
              } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
              }
            });
  }
}
