package io.fluxops.loader.download;

import io.fluxops.loader.hub.RepoFile;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which files a list of patterns selects, with the semantics of huggingface_hub's {@code
 * allow_patterns}: Python's fnmatch over the whole path ({@code *} matches any run of characters,
 * slashes included; {@code ?} one character; {@code [seq]} and {@code [!seq]} a set), and a pattern
 * that ends in {@code /} selects everything under that folder. No patterns select every file.
 */
public final class FilePatterns {
  private final List<Pattern> patterns;

  public FilePatterns(List<String> globs) {
    this.patterns = globs.stream().map(FilePatterns::compile).toList();
  }

  public boolean selects(String path) {
    return patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matcher(path).matches());
  }

  public List<RepoFile> select(List<RepoFile> files) {
    return files.stream().filter(f -> selects(f.path())).toList();
  }

  static Pattern compile(String glob) {
    String text = glob.endsWith("/") ? glob + "*" : glob;
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i++);
      if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else if (c == '[') {
        int end = setEnd(text, i);
        if (end < 0) {
          regex.append("\\["); // no closing bracket: a literal '[', as fnmatch reads it
        } else {
          regex.append(set(text.substring(i, end)));
          i = end + 1;
        }
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /** Index of the ']' closing a set that starts at {@code from}, or -1. */
  private static int setEnd(String text, int from) {
    int j = from;
    if (j < text.length() && text.charAt(j) == '!') {
      j++;
    }
    if (j < text.length() && text.charAt(j) == ']') {
      j++; // a ']' first in the set is a member
    }
    return text.indexOf(']', j);
  }

  private static String set(String members) {
    StringBuilder out = new StringBuilder("[");
    int i = 0;
    if (members.startsWith("!")) {
      out.append('^');
      i = 1;
    }
    for (; i < members.length(); i++) {
      char c = members.charAt(i);
      if (c == '-' && i > 0 && i < members.length() - 1) {
        out.append('-'); // a range
      } else if (Character.isLetterOrDigit(c)) {
        out.append(c);
      } else {
        out.append('\\').append(c);
      }
    }
    return out.append(']').toString();
  }
}
