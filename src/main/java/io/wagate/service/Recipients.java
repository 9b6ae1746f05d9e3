package io.wagate.service;

import java.util.regex.Pattern;

/** The {@code number} of a send (docs/MESSAGES.md, recipient): what the sidecar is given, or the literal refusal. */
final class Recipients {
  private static final Pattern DIGITS = Pattern.compile("\\d{8,15}");
  private static final Pattern LID = Pattern.compile("\\d{1,20}@lid");
  private static final Pattern USER_JID = Pattern.compile("(\\d{1,20})(?::\\d+)?@s\\.whatsapp\\.net");
  private static final Pattern PUNCTUATION = Pattern.compile("[+\\s()\\-]");

  private Recipients() {
  }

  /** The full JID of a normalised recipient: digits become a phone-number user JID. */
  static String chatJid(String recipient) {
    return recipient.indexOf('@') >= 0 ? recipient : recipient + "@s.whatsapp.net";
  }

  /** {@code number}, else {@code to}; a phone number as bare digits, a user JID without its device, a LID JID as given. */
  static String normalise(String number, String to) {
    String raw = number != null && !number.isBlank() ? number : to;
    if (raw == null || raw.isBlank()) {
      throw DomainException.invalidInput("Number is required");
    }
    String value = raw.trim();
    if (value.endsWith("@g.us") || value.endsWith("@newsletter") || value.endsWith("@broadcast")) {
      // groups, newsletters and status are outside the first messaging slice
      throw DomainException.notImplemented();
    }
    if (LID.matcher(value).matches()) {
      return value;
    }
    var jid = USER_JID.matcher(value);
    String digits = jid.matches() ? jid.group(1) : PUNCTUATION.matcher(value).replaceAll("");
    if (!DIGITS.matcher(digits).matches()) {
      throw DomainException.invalidInput("Invalid phone number");
    }
    return digits;
  }
}
