package io.fluxops.deploy.argocd;

/** Lua source text reduced to its code, so checks on it do not trip over comments or strings. */
final class LuaSource {

  private LuaSource() {}

  /** The code with every comment and string literal replaced by a space. */
  static String withoutCommentsAndStrings(String source) {
    StringBuilder code = new StringBuilder();
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (source.startsWith("--", i)) {
        int level = longBracketLevel(source, i + 2);
        i = level >= 0 ? endOfLongBracket(source, i + 2, level) : endOfLine(source, i);
        code.append(' ');
      } else if (c == '"' || c == '\'') {
        i = endOfQuoted(source, i, c);
        code.append(' ');
      } else if (c == '[' && longBracketLevel(source, i) >= 0) {
        i = endOfLongBracket(source, i, longBracketLevel(source, i));
        code.append(' ');
      } else {
        code.append(c);
        i++;
      }
    }
    return code.toString();
  }

  /** The number of '=' of a long bracket opening at {@code i} ("[[", "[==["), or -1. */
  private static int longBracketLevel(String s, int i) {
    if (i >= s.length() || s.charAt(i) != '[') {
      return -1;
    }
    int j = i + 1;
    while (j < s.length() && s.charAt(j) == '=') {
      j++;
    }
    return j < s.length() && s.charAt(j) == '[' ? j - i - 1 : -1;
  }

  private static int endOfLongBracket(String s, int open, int level) {
    String close = "]" + "=".repeat(level) + "]";
    int end = s.indexOf(close, open + level + 2);
    return end < 0 ? s.length() : end + close.length();
  }

  private static int endOfLine(String s, int i) {
    int end = s.indexOf('\n', i);
    return end < 0 ? s.length() : end;
  }

  private static int endOfQuoted(String s, int open, char quote) {
    int i = open + 1;
    while (i < s.length() && s.charAt(i) != quote) {
      i += s.charAt(i) == '\\' ? 2 : 1;
    }
    return Math.min(i + 1, s.length());
  }
}
