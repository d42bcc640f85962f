package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class ScratchDirectoryTest {

  @Test
  void theScratchDirectoryAndTheKeyInItAreReadableByTheUserAlone() throws Exception {
    Path dir = ScratchDirectory.create();
    try {
      Path key = ScratchDirectory.writePrivate(dir.resolve("licence-key"), "sk-test");

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
          .isEqualTo("rw-------");
      assertThat(Files.readString(key)).isEqualTo("sk-test");
    } finally {
      ScratchDirectory.delete(dir);
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void deletingRemovesNestedJournalsAndLogs() throws Exception {
    Path dir = ScratchDirectory.create();
    Files.createDirectories(dir.resolve("pods/dev-4090-0/journal"));
    Files.writeString(dir.resolve("pods/dev-4090-0/journal/usage.log"), "x");
    Files.writeString(dir.resolve("sidecar.log"), "y");

    ScratchDirectory.delete(dir);

    assertThat(dir).doesNotExist();
  }
}
