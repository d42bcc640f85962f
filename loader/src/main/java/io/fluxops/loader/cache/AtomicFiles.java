package io.fluxops.loader.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that are all or nothing: a reader (or a loader resumed after a crash) sees the old file or
 * the new one, never half of one. Each goes to a temporary name in the same directory, is synced,
 * and is renamed over the target; the directory is synced after.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Replaces {@code target} with {@code content}. */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    move(temp, target);
  }

  /** Renames {@code source} over {@code target} in one step, and makes the rename durable. */
  public static void move(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(target.getParent());
  }

  /**
   * Points {@code link} at {@code blob} with a relative symbolic link, replacing what was there.
   * Where the volume has no symbolic links, the blob itself is moved there instead (as
   * huggingface_hub does): the revision is complete, but a later one cannot share the file.
   *
   * @return whether a link was made (false: the blob was moved)
   */
  public static boolean link(Path link, Path blob) throws IOException {
    Path dir = link.getParent();
    Files.createDirectories(dir);
    Path relative = dir.relativize(blob);
    Path temp = dir.resolve("." + link.getFileName() + ".link-" + ProcessHandle.current().pid());
    Files.deleteIfExists(temp);
    try {
      Files.createSymbolicLink(temp, relative);
    } catch (UnsupportedOperationException | FileSystemException e) {
      move(blob, link);
      return false;
    }
    move(temp, link);
    return true;
  }

  /** Makes renames and new names in {@code dir} durable (a no-op where the OS cannot). */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open or sync a directory; the rename itself is still atomic.
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }
}
