package io.wagate.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/** Where the bytes of a media send come from, and what type they are (docs/MESSAGES.md, media). */
final class MediaSources {
  static final Set<String> TYPES = Set.of("image", "video", "audio", "document");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);
  private static final Pattern DATA_URL = Pattern.compile("^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$", Pattern.DOTALL);
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private MediaSources() {
  }

  /** Inline media: the decoded bytes and the type a {@code data:} prefix named (null for raw base64). */
  record Inline(byte[] bytes, String mimetype) {
  }

  /** Whether {@code mediaUrl} names something to download rather than inline base64. */
  static boolean isUrl(String value) {
    return SCHEME.matcher(value).matches();
  }

  /** Decodes raw base64 or a {@code data:<mime>;base64,} URL; refuses what decodes to more than {@code maxBytes}. */
  static Inline decode(String value, long maxBytes) {
    String mimetype = null;
    String payload = value;
    var data = DATA_URL.matcher(value);
    if (data.matches()) {
      mimetype = data.group(1).isBlank() ? null : data.group(1).trim().toLowerCase();
      payload = data.group(2);
    } else if (value.startsWith("data:")) {
      throw DomainException.invalidInput("Invalid base64 media");
    }
    String compact = WHITESPACE.matcher(payload).replaceAll("");
    if (compact.length() / 4L * 3 > maxBytes + 2) {
      throw DomainException.invalidInput("Media too large");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(compact.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalidInput("Invalid base64 media");
    }
    if (bytes.length == 0) {
      throw DomainException.invalidInput("Invalid base64 media");
    }
    if (bytes.length > maxBytes) {
      throw DomainException.invalidInput("Media too large");
    }
    return new Inline(bytes, mimetype);
  }

  /** The type from the first bytes, for the formats WhatsApp carries; {@code application/octet-stream} otherwise. */
  static String sniff(byte[] b) {
    if (starts(b, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (starts(b, 0x89, 'P', 'N', 'G')) {
      return "image/png";
    }
    if (starts(b, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    if (starts(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return "image/webp";
    }
    if (starts(b, '%', 'P', 'D', 'F')) {
      return "application/pdf";
    }
    if (starts(b, 'O', 'g', 'g', 'S')) {
      return "audio/ogg";
    }
    if (starts(b, 'I', 'D', '3') || starts(b, 0xFF, 0xFB)) {
      return "audio/mpeg";
    }
    if (b.length >= 8 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
      return "video/mp4";
    }
    return "application/octet-stream";
  }

  private static boolean starts(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
