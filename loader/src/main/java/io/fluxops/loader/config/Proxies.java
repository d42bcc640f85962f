package io.fluxops.loader.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy variables clusters set for egress ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code
 * NO_PROXY}, upper or lower case) as the JDK's proxy properties, which the JDK does not read from
 * the environment by itself.
 */
public final class Proxies {
  private Proxies() {}

  /** The system properties the environment asks for; empty when it names no proxy. */
  public static Map<String, String> properties(Map<String, String> env) throws ConfigException {
    Map<String, String> props = new LinkedHashMap<>();
    Optional<URI> https = proxy(env, "HTTPS_PROXY");
    Optional<URI> http = proxy(env, "HTTP_PROXY");
    if (https.isPresent()) {
      props.put("https.proxyHost", https.get().getHost());
      props.put("https.proxyPort", String.valueOf(port(https.get())));
    }
    if (http.isPresent()) {
      props.put("http.proxyHost", http.get().getHost());
      props.put("http.proxyPort", String.valueOf(port(http.get())));
    }
    String noProxy = variable(env, "NO_PROXY");
    if (!props.isEmpty() && !noProxy.isEmpty()) {
      props.put("http.nonProxyHosts", nonProxyHosts(noProxy));
    }
    return props;
  }

  /** NO_PROXY's "a.example,.b.example" as the JDK's "a.example|*.a.example|*.b.example". */
  static String nonProxyHosts(String noProxy) {
    List<String> hosts = new ArrayList<>();
    for (String entry : noProxy.split(",")) {
      String host = entry.strip().replaceFirst(":\\d+$", "");
      if (host.isEmpty()) {
        continue;
      }
      if (host.equals("*")) {
        hosts.add("*");
      } else if (host.startsWith(".")) {
        hosts.add("*" + host);
      } else {
        hosts.add(host);
        hosts.add("*." + host);
      }
    }
    return String.join("|", hosts);
  }

  private static Optional<URI> proxy(Map<String, String> env, String name) throws ConfigException {
    String raw = variable(env, name);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    URI uri = URI.create(raw.contains("://") ? raw : "http://" + raw);
    if (uri.getHost() == null) {
      throw new ConfigException(name, "must be a proxy URL such as http://proxy:3128");
    }
    if (uri.getUserInfo() != null) {
      throw new ConfigException(
          name, "has credentials in it; the loader supports proxies without authentication");
    }
    return Optional.of(uri);
  }

  private static String variable(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      value = env.get(name.toLowerCase(java.util.Locale.ROOT));
    }
    return value == null ? "" : value.strip();
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
  }
}
