package io.fluxops.loader.hub;

import java.net.URI;

/**
 * Where a file's bytes are and how to check them, from a {@code HEAD} of its {@code resolve} URL.
 *
 * @param etag the checksum the Hub gives: for an LFS file the sha256 of its content ({@code
 *     X-Linked-Etag}), for a file kept in git its git blob id (sha1, {@code ETag})
 * @param size the file's length in bytes ({@code X-Linked-Size}, else {@code Content-Length})
 * @param url where to {@code GET} it: the file host the Hub redirects to, or the resolve URL itself
 * @param onHub whether {@code url} is on the Hub's own host, the only place the token is sent
 */
public record FileLocation(String path, String etag, long size, URI url, boolean onHub) {
  /** Whether {@link #etag} is a sha256 (an LFS file) rather than a git blob id. */
  public boolean isSha256() {
    return etag.length() == 64;
  }
}
