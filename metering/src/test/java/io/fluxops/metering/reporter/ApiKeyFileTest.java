package io.fluxops.metering.reporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyFileTest {
  private static final String SECRET = "bfl-secret-1234";

  @TempDir Path dir;

  @Test
  void readsTheKeyWithoutItsTrailingNewline() throws Exception {
    Path file = Files.writeString(dir.resolve("api-key"), SECRET + "\n");

    assertThat(new ApiKeyFile(file).current().value()).isEqualTo(SECRET);
  }

  @Test
  void neverShowsTheKeyInToStringOrErrors() throws Exception {
    Path file = Files.writeString(dir.resolve("api-key"), SECRET);
    ApiKey key = new ApiKeyFile(file).current();

    assertThat(key.toString()).doesNotContain(SECRET);
    assertThat(key.redact("x-key " + SECRET + " refused")).isEqualTo("x-key [redacted] refused");

    Files.writeString(file, SECRET + " with a space");
    assertThatThrownBy(() -> ApiKeyFile.read(file))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("cannot go in an HTTP header")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void rejectsAnEmptyOrOversizedOrMissingFile() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Path huge = Files.writeString(dir.resolve("huge"), "k".repeat(5000));

    assertThatThrownBy(() -> new ApiKeyFile(empty)).hasMessageContaining("is empty");
    assertThatThrownBy(() -> new ApiKeyFile(huge)).hasMessageContaining("larger than");
    assertThatThrownBy(() -> new ApiKeyFile(dir.resolve("missing")))
        .hasMessageContaining("cannot read");
  }

  @Test
  void picksUpAKubernetesSecretRotation() throws Exception {
    Path mount = kubernetesSecretVolume("..2026_11_21_12_00_00.1", "old-key");
    ApiKeyFile keys = new ApiKeyFile(mount.resolve("api-key"));
    assertThat(keys.current().value()).isEqualTo("old-key");

    rotate(mount, "..2026_11_21_13_00_00.2", "new-key");

    assertThat(keys.current().value()).isEqualTo("new-key");
  }

  @Test
  void keepsTheLastGoodKeyWhileTheFileIsBroken() throws Exception {
    Path file = Files.writeString(dir.resolve("api-key"), "good-key");
    ApiKeyFile keys = new ApiKeyFile(file);

    Files.writeString(file, "");
    assertThat(keys.current().value()).isEqualTo("good-key");

    Files.writeString(file, "next-key");
    assertThat(keys.current().value()).isEqualTo("next-key");
  }

  /** The layout the kubelet writes: {@code api-key -> ..data/api-key}, {@code ..data -> ..<ts>}. */
  private Path kubernetesSecretVolume(String version, String key) throws IOException {
    Path mount = Files.createDirectories(dir.resolve("license"));
    Files.writeString(Files.createDirectories(mount.resolve(version)).resolve("api-key"), key);
    Files.createSymbolicLink(mount.resolve("..data"), Path.of(version));
    Files.createSymbolicLink(mount.resolve("api-key"), Path.of("..data/api-key"));
    return mount;
  }

  /** The kubelet's atomic update: new directory, new symlink, renamed over {@code ..data}. */
  static void rotate(Path mount, String version, String key) throws IOException {
    Files.writeString(Files.createDirectories(mount.resolve(version)).resolve("api-key"), key);
    Path tmp = Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of(version));
    Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }
}
