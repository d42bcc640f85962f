package io.fluxops.loader.hub;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/** The Hub's URLs, encoded as huggingface_hub encodes them. */
final class Urls {
  private Urls() {}

  /** {@code /api/models/{repo}/revision/{revision}?blobs=true}: the revision as one segment. */
  static URI modelInfo(URI endpoint, String repo, String revision) {
    return URI.create(
        endpoint + "/api/models/" + repo + "/revision/" + encode(revision, false) + "?blobs=true");
  }

  /** {@code /{repo}/resolve/{commit}/{path}}: the path keeps its slashes. */
  static URI resolve(URI endpoint, String repo, String commit, String path) {
    return URI.create(endpoint + "/" + repo + "/resolve/" + commit + "/" + encode(path, true));
  }

  /** Percent-encodes UTF-8 bytes outside RFC 3986's unreserved set (and '/' if kept). */
  static String encode(String text, boolean keepSlash) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean unreserved =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~'
              || (keepSlash && c == '/');
      if (unreserved) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Same scheme, host and port: where the token may go. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }
}
