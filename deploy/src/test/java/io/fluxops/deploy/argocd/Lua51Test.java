package io.fluxops.deploy.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Argo CD runs health checks in a Lua 5.1 interpreter; LuaJ, which runs them here, is Lua 5.2. This
 * test refuses what 5.2 and later added, so a script that passes here also loads in Argo CD.
 */
class Lua51Test {

  /** Constructs newer than Lua 5.1, each with what to write instead. */
  private static final Map<String, String> NEWER_THAN_5_1 =
      Map.ofEntries(
          Map.entry("\\bgoto\\b", "goto (5.2): use if/else or a loop condition"),
          Map.entry("::", "labels (5.2)"),
          Map.entry("//", "integer division (5.3): use math.floor(a / b)"),
          Map.entry("&|\\||~(?!=)|<<|>>", "bitwise operators (5.3)"),
          Map.entry("\\b_ENV\\b", "_ENV (5.2)"),
          Map.entry(
              "\\btable\\.(unpack|pack|move)\\b", "table.unpack/pack/move (5.2+): use unpack"),
          Map.entry("\\b(utf8|bit32)\\.", "the utf8 and bit32 libraries (5.2+)"),
          Map.entry("\\brawlen\\b", "rawlen (5.2): use #"),
          Map.entry("\\bstring\\.(pack|unpack)\\b", "string.pack/unpack (5.3)"));

  @Test
  void healthCheckUsesOnlyLua51() {
    String code = LuaSource.withoutCommentsAndStrings(HealthCheckFiles.script());

    List<String> found =
        NEWER_THAN_5_1.entrySet().stream()
            .filter(e -> Pattern.compile(e.getKey()).matcher(code).find())
            .map(Map.Entry::getValue)
            .toList();

    assertThat(found).as("Lua newer than 5.1 in health.lua").isEmpty();
  }

  @Test
  void theCheckFindsANewerConstructOutsideCommentsAndStrings() {
    String code =
        LuaSource.withoutCommentsAndStrings(
            "-- goto in a comment\nlocal s = \"a // b\"\nlocal n = 7 // 2\n");

    assertThat(code).doesNotContain("goto").doesNotContain("a // b").contains("7 // 2");
  }
}
