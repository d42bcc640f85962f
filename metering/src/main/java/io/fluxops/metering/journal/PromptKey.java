package io.fluxops.metering.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What the journal remembers of a prompt it counted: the first 128 bits of the SHA-256 of a text
 * that names the prompt's one run (ComfyUI counting builds it from the prompt id and what else
 * tells one run from another). Fixed-size, so a record holds it whole; 128 bits make a collision
 * among the few thousand prompts remembered at a time (about 2^-100) no concern.
 *
 * @param high the first 64 bits
 * @param low the next 64 bits
 */
public record PromptKey(long high, long low) {

  /** The key of {@code text}. */
  public static PromptKey of(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      ByteBuffer bytes = ByteBuffer.wrap(digest);
      return new PromptKey(bytes.getLong(), bytes.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return String.format("%016x%016x", high, low);
  }
}
