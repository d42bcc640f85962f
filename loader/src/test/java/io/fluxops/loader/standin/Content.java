package io.fluxops.loader.standin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The bytes of a stand-in file: given outright, or generated from a seed block by block, so that a
 * benchmark can serve gigabytes without holding them. Its sha256 and git blob id are computed once,
 * as the Hub stores them.
 */
public final class Content {
  private static final int BLOCK = 64 * 1024;
  private static final ThreadLocal<byte[]> BLOCKS = ThreadLocal.withInitial(() -> new byte[BLOCK]);

  private final byte[] bytes;
  private final long seed;
  private final long size;
  private String sha256;
  private String gitOid;

  private Content(byte[] bytes, long seed, long size) {
    this.bytes = bytes;
    this.seed = seed;
    this.size = size;
  }

  public static Content of(byte[] bytes) {
    return new Content(bytes.clone(), 0, bytes.length);
  }

  public static Content of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code size} pseudo-random bytes from {@code seed}; the same seed gives the same bytes. */
  public static Content generated(long seed, long size) {
    return new Content(null, seed, size);
  }

  public long size() {
    return size;
  }

  /** Copies bytes from {@code offset} into {@code into}; returns how many (fewer at the end). */
  public int read(long offset, byte[] into, int length) {
    int n = (int) Math.min(length, size - offset);
    if (n <= 0) {
      return 0;
    }
    if (bytes != null) {
      System.arraycopy(bytes, (int) offset, into, 0, n);
      return n;
    }
    int done = 0;
    byte[] block = BLOCKS.get();
    while (done < n) {
      long at = offset + done;
      long index = at / BLOCK;
      fill(index, block);
      int within = (int) (at % BLOCK);
      int take = Math.min(BLOCK - within, n - done);
      System.arraycopy(block, within, into, done, take);
      done += take;
    }
    return n;
  }

  private void fill(long index, byte[] block) {
    new SplittableRandom(seed * 1_000_003L + index).nextBytes(block);
  }

  /** Every byte, for assertions on small files. */
  public byte[] bytes() {
    byte[] all = new byte[(int) size];
    read(0, all, all.length);
    return all;
  }

  public synchronized String sha256() {
    if (sha256 == null) {
      sha256 = digest("SHA-256", new byte[0]);
    }
    return sha256;
  }

  /** Git's object id of the content: sha1 of "blob {size}\0" and the bytes. */
  public synchronized String gitOid() {
    if (gitOid == null) {
      gitOid = digest("SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
    }
    return gitOid;
  }

  private String digest(String algorithm, byte[] prefix) {
    try {
      MessageDigest digest = MessageDigest.getInstance(algorithm);
      digest.update(prefix);
      byte[] buffer = new byte[1 << 20];
      for (long at = 0; at < size; ) {
        int n = read(at, buffer, buffer.length);
        digest.update(buffer, 0, n);
        at += n;
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
