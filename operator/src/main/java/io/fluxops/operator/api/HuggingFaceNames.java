package io.fluxops.operator.api;

import java.util.regex.Pattern;

/**
 * What the CRD accepts in spec.modelCache.source.huggingface, for its schema ({@code pattern}) and
 * for the operator's own check of the same rules (mock API servers do not enforce a schema).
 */
public final class HuggingFaceNames {
  /** The Hub's rule for a repo id: [owner/]name of letters, digits, '-', '_' and '.'. */
  public static final String REPO_PATTERN = "^([A-Za-z0-9._-]{1,96}/)?[A-Za-z0-9._-]{1,96}$";

  public static final String REVISION_PATTERN = "^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$";

  /** A file pattern: no comma (the loader's list separator) and no control character. */
  public static final String INCLUDE_PATTERN = "^[^,\\x00-\\x1f]+$";

  public static final Pattern REPO = Pattern.compile(REPO_PATTERN);
  public static final Pattern REVISION = Pattern.compile(REVISION_PATTERN);
  public static final Pattern INCLUDE = Pattern.compile(INCLUDE_PATTERN);

  private HuggingFaceNames() {}
}
