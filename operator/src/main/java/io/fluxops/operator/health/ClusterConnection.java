package io.fluxops.operator.health;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds the cluster the operator runs against and checks, within a deadline, that its API server
 * answers: a missing or malformed kubeconfig, a refused, unresolvable or silent API server each
 * become one line that says what to change, instead of a stack trace, a 20 s retry loop or silence.
 */
public final class ClusterConnection {

  /** How long the start-up check waits for the API server's {@code /version}. */
  public static final Duration STARTUP_DEADLINE = Duration.ofSeconds(5);

  private ClusterConnection() {}

  /**
   * The client configuration Fabric8 finds (KUBECONFIG, ~/.kube/config, the in-cluster service
   * account, KUBERNETES_MASTER), after checking that a KUBECONFIG that is set names a file.
   *
   * @throws StartupError (exit code 2) for a KUBECONFIG that names no file, or a kubeconfig that
   *     cannot be read
   */
  public static Config config(Map<String, String> env) throws StartupError {
    String kubeconfig = env.get("KUBECONFIG");
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      List<String> files =
          Arrays.stream(kubeconfig.split(File.pathSeparator)).filter(f -> !f.isBlank()).toList();
      if (files.stream().noneMatch(f -> Files.isRegularFile(Path.of(f)))) {
        throw new StartupError(
            2,
            "KUBECONFIG="
                + kubeconfig
                + " names no file that exists: point it at your kubeconfig, or unset it to use"
                + " ~/.kube/config or the in-cluster service account");
      }
    }
    try {
      return http11UnlessSet(Config.autoConfigure(null), env);
    } catch (RuntimeException e) {
      throw new StartupError(
          2, "cannot read the kubeconfig " + kubeconfigPath(env) + ": " + oneLine(rootCause(e)));
    }
  }

  /** The variable with which Fabric8 lets a user choose HTTP/2 or HTTP/1.1 for the client. */
  static final String HTTP2_DISABLE = "KUBERNETES_HTTP2_DISABLE";

  /** The system property Fabric8 reads for the same choice, before the variable. */
  static final String HTTP2_DISABLE_PROPERTY = "kubernetes.http2.disable";

  /**
   * HTTP/1.1 for the operator's client, unless {@value #HTTP2_DISABLE} or the system property
   * {@value #HTTP2_DISABLE_PROPERTY} says otherwise (Fabric8 has read either into {@code config}).
   * Over HTTP/2 the JDK's client sends every request of the operator over one connection, and its
   * HTTP/2 code has hangs that no request timeout ends (JDK-8293786: a stream waiting for window
   * updates stops the connection reading frames; JDK-8225647: the server's stream limit): with
   * 1,000 FluxDeployments on an overloaded kube-apiserver, one reconcile's create never returned
   * (fabric8's waitForResult after 8 minutes; fabric8io/kubernetes-client#6909, #7299 report the
   * same). HTTP/1.1 gives each request in flight its own pooled connection: the same 1,000
   * converged, all of them (BENCHMARKS.md, "1,000 FluxDeployments on the real control plane").
   */
  static Config http11UnlessSet(Config config, Map<String, String> env) {
    return http11UnlessSet(config, env, System.getProperties());
  }

  static Config http11UnlessSet(Config config, Map<String, String> env, Properties properties) {
    if (isBlank(env.get(HTTP2_DISABLE))
        && isBlank(properties.getProperty(HTTP2_DISABLE_PROPERTY))) {
      config.setHttp2Disable(true);
    }
    return config;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /**
   * Asks the API server for its version with no retries, and gives up after {@code deadline}.
   *
   * @return the server's version, e.g. {@code v1.34.4}
   * @throws StartupError (exit code 1) when it refuses, cannot be resolved, fails, or is silent
   */
  public static String checkReachable(Config config, Map<String, String> env, Duration deadline)
      throws StartupError {
    int millis = (int) deadline.toMillis();
    Config once =
        new ConfigBuilder(config)
            .withConnectionTimeout(millis)
            .withRequestTimeout(millis)
            .withRequestRetryBackoffLimit(0)
            .build();
    String master = config.getMasterUrl();
    ExecutorService caller = Executors.newSingleThreadExecutor(daemon("fluxops-api-check"));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once).build()) {
      Future<String> version = caller.submit(() -> client.getKubernetesVersion().getGitVersion());
      try {
        return version.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        version.cancel(true);
        throw new StartupError(
            1,
            "the Kubernetes API at "
                + master
                + " accepted no request or sent no answer within "
                + deadline.toSeconds()
                + " s: check that the address is a Kubernetes API server and that it is up");
      } catch (ExecutionException e) {
        throw new StartupError(
            1,
            "cannot reach the Kubernetes API at "
                + master
                + " ("
                + describe(e.getCause(), master)
                + "). "
                + hint(env));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartupError(1, "interrupted while checking the Kubernetes API at " + master);
      }
    } finally {
      caller.shutdownNow();
    }
  }

  private static String hint(Map<String, String> env) {
    boolean noKubeconfig =
        (env.get("KUBECONFIG") == null || env.get("KUBECONFIG").isBlank())
            && !Files.isRegularFile(defaultKubeconfig());
    if (noKubeconfig && env.get("KUBERNETES_SERVICE_HOST") == null) {
      return "No kubeconfig (KUBECONFIG is unset and "
          + defaultKubeconfig()
          + " does not exist) and not in a cluster: point KUBECONFIG at a cluster";
    }
    return "Point KUBECONFIG at a cluster, or run in one.";
  }

  private static String describe(Throwable error, String master) {
    Throwable cause = rootCause(error);
    if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
      return "cannot resolve the host " + URI.create(master).getHost();
    }
    for (Throwable c = error; c != null; c = c.getCause()) {
      if (c instanceof java.net.ConnectException) {
        return "connection refused";
      }
    }
    if (refusesConnections(URI.create(master))) {
      // The JDK client reports a refused connection as a closed channel.
      return "connection refused";
    }
    return oneLine(cause);
  }

  private static boolean refusesConnections(URI master) {
    int port =
        master.getPort() > 0 ? master.getPort() : "http".equals(master.getScheme()) ? 80 : 443;
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(master.getHost(), port), 1000);
      return false;
    } catch (java.net.ConnectException e) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static Path kubeconfigPath(Map<String, String> env) {
    String kubeconfig = env.get("KUBECONFIG");
    return kubeconfig == null || kubeconfig.isBlank()
        ? defaultKubeconfig()
        : Path.of(kubeconfig.split(File.pathSeparator)[0]);
  }

  private static Path defaultKubeconfig() {
    return Path.of(System.getProperty("user.home"), ".kube", "config");
  }

  static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A message on one line of at most 300 characters: parsers' messages span several. */
  static String oneLine(Throwable cause) {
    String message = cause.getMessage() == null ? "" : cause.getMessage().strip();
    String text =
        (message.isEmpty() ? cause.getClass().getSimpleName() : message).replaceAll("\\s+", " ");
    return text.length() <= 300 ? text : text.substring(0, 297) + "...";
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
