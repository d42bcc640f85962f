package io.fluxops.loader.standin;

/**
 * A file of a stand-in commit.
 *
 * @param lfs whether the Hub keeps it in LFS (served by the file host, checked by sha256) or in git
 *     (served by the Hub itself, checked by its git blob id)
 */
public record StandInFile(String path, Content content, boolean lfs) {
  public static StandInFile lfs(String path, Content content) {
    return new StandInFile(path, content, true);
  }

  public static StandInFile git(String path, String text) {
    return new StandInFile(path, Content.of(text), false);
  }
}
