package io.wagate.service.command;

/** The character rules the commands' OpenAPI schemas state, as the server enforces them. */
public final class Patterns {
  /** Any text but NUL, which PostgreSQL cannot store. */
  public static final String NO_NUL = "^[^\\x00]*$";
  /** No control characters. */
  public static final String PLAIN = "^[^\\x00-\\x1f\\x7f-\\x9f]*$";

  private Patterns() {
  }
}
