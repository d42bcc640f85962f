package io.fluxops.loader.config;

import java.util.Optional;

/**
 * A Hugging Face access token and where it came from. {@link #toString()} never shows the token, so
 * that no log line or exception message can carry it.
 *
 * @param secretName the Secret it was mounted from, for messages (empty when unknown)
 */
public record Token(String value, String secretName) {
  /** The header value for the Hub's own hosts, never for the file host it redirects to. */
  public String bearer() {
    return "Bearer " + value;
  }

  /** "the token in Secret hf-token", or "the token" when the Secret's name is unknown. */
  public String describe() {
    return secretName.isEmpty() ? "the token" : "the token in Secret " + secretName;
  }

  /** {@link #describe()} of an optional token, or "no token" when there is none. */
  public static String describe(Optional<Token> token) {
    return token.map(Token::describe).orElse("no token");
  }

  @Override
  public String toString() {
    return "Token[" + describe() + "]";
  }
}
