package io.fluxops.loader.download;

import io.fluxops.loader.hub.FileLocation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest a file is checked with: sha256 of the content for an LFS file (the Hub's {@code
 * X-Linked-Etag}), git's blob id for a file kept in git (sha1 of {@code "blob <size>\0"} and the
 * content, the Hub's {@code ETag}).
 */
final class Checksum {
  private Checksum() {}

  static MessageDigest start(FileLocation location) {
    try {
      if (location.isSha256()) {
        return MessageDigest.getInstance("SHA-256");
      }
      // Git's object id: the Hub's ETag for a small file. SHA-1 is git's choice, not ours.
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      digest.update(("blob " + location.size() + "\0").getBytes(StandardCharsets.US_ASCII));
      return digest;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256 and SHA-1", e);
    }
  }

  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}
