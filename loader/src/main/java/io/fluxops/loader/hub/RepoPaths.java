package io.fluxops.loader.hub;

/**
 * Which file names from the Hub the loader writes: relative, with no empty, "." or ".." segment, no
 * backslash and no control character, so that no answer can write outside the snapshot.
 */
public final class RepoPaths {
  private static final int MAX_LENGTH = 1024;

  private RepoPaths() {}

  public static boolean isSafe(String path) {
    if (path.isEmpty() || path.length() > MAX_LENGTH || path.indexOf('\\') >= 0) {
      return false;
    }
    if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** A name for a message, control characters shown as '?'. */
  static String show(String path) {
    String shown = path.replaceAll("\\p{Cntrl}", "?");
    return shown.length() > 120 ? shown.substring(0, 120) + "..." : shown;
  }
}
