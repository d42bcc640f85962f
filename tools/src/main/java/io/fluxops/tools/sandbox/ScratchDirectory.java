package io.fluxops.tools.sandbox;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sandbox's scratch directory and the files in it that others must not read: created for the
 * user alone, removed with everything in it when the sandbox ends.
 */
final class ScratchDirectory {

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private ScratchDirectory() {}

  /** A new directory under the system's temporary directory, {@code rwx------}. */
  static Path create() throws IOException {
    return POSIX
        ? Files.createTempDirectory(
            "fluxops-sandbox-", PosixFilePermissions.asFileAttribute(owner("rwx------")))
        : Files.createTempDirectory("fluxops-sandbox-");
  }

  /** Writes a secret to a new file only its owner can read ({@code rw-------}). */
  static Path writePrivate(Path file, String secret) throws IOException {
    Files.deleteIfExists(file);
    FileAttribute<?>[] attributes =
        POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(owner("rw-------"))}
            : new FileAttribute<?>[0];
    Files.createFile(file, attributes);
    return Files.writeString(file, secret);
  }

  /** Removes the directory and everything in it; what cannot be removed is left, quietly. */
  static void delete(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(ScratchDirectory::deleteQuietly);
    } catch (IOException e) {
      // a file vanished while walking: delete what is left below
      deleteQuietly(directory);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // not empty because a process still writes there: nothing more to do at exit
    }
  }

  private static Set<PosixFilePermission> owner(String permissions) {
    return PosixFilePermissions.fromString(permissions);
  }
}
