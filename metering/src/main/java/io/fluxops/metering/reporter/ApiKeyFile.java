package io.fluxops.metering.reporter;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The key file of the mounted licence Secret, re-read on every use. Kubernetes rotates a Secret
 * volume by swapping a {@code ..data} symlink, which file watches on the key's path miss; reading
 * the few bytes again through the path always sees the current key.
 */
public final class ApiKeyFile {
  private static final System.Logger LOG = System.getLogger(ApiKeyFile.class.getName());
  private static final int MAX_BYTES = 4096;

  private final Path path;
  private ApiKey lastGood;
  private String lastProblem;

  /** Reads the key once; a file that cannot be used fails here, at start. */
  public ApiKeyFile(Path path) throws InvalidKeyException {
    this.path = path;
    this.lastGood = read(path);
  }

  /**
   * The key as the file holds it now. If the file became unreadable or invalid, the last good key,
   * with one log line per new problem: a Secret update in progress must not stop reporting.
   */
  public synchronized ApiKey current() {
    try {
      ApiKey key = read(path);
      if (!key.equals(lastGood)) {
        LOG.log(Level.INFO, "licence key file changed; using the new key");
      }
      lastGood = key;
      lastProblem = null;
    } catch (InvalidKeyException e) {
      if (!e.getMessage().equals(lastProblem)) {
        LOG.log(Level.WARNING, e.getMessage() + "; keeping the previous key");
      }
      lastProblem = e.getMessage();
    }
    return lastGood;
  }

  /** Reads and validates the key in {@code path}. */
  static ApiKey read(Path path) throws InvalidKeyException {
    byte[] bytes;
    try {
      if (Files.size(path) > MAX_BYTES) {
        throw new InvalidKeyException(
            "the key file " + path + " is larger than " + MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new InvalidKeyException(
          "cannot read the key file " + path + " (" + e.getClass().getSimpleName() + ")");
    }
    String key = decode(bytes, path).strip();
    if (key.isEmpty()) {
      throw new InvalidKeyException("the key file " + path + " is empty");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new InvalidKeyException(
            "the key in "
                + path
                + " has a character at position "
                + i
                + " that cannot go in an HTTP header; an API key is printable ASCII without"
                + " spaces");
      }
    }
    return new ApiKey(key);
  }

  private static String decode(byte[] bytes, Path path) throws InvalidKeyException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidKeyException("the key file " + path + " is not UTF-8 text");
    }
  }
}
