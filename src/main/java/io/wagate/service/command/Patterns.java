package io.wagate.service.command;

/** The character rules the commands' OpenAPI schemas state, as the server enforces them (service/Validation). */
public final class Patterns {
  /** Any text but NUL, which PostgreSQL cannot store. */
  public static final String NO_NUL = "^[^\\x00]*$";
  public static final String NO_NUL_TEXT = "Any text but NUL, which cannot be stored";
  public static final String INSTANCE_NAME = "^[A-Za-z0-9_-]{1,100}$";
  public static final String PLAIN = "^[^\\x00-\\x1f\\x7f-\\x9f]*$";
  public static final String PLAIN_TEXT = "No control characters";
  /** 1 to 65535, leading zeros allowed. */
  public static final String PORT = "^(0{0,4}[1-9]|0{0,3}[1-9][0-9]|0{0,2}[1-9][0-9]{2}|0?[1-9][0-9]{3}|[1-5][0-9]{4}|6[0-4][0-9]{3}"
      + "|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";

  private Patterns() {
  }
}
