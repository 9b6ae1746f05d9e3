package io.wagate.service;

/** What connect or reconnect started (docs/API.md, sections 2.2 and 2.3); rest/ turns it into the RyzeAPI body. */
public sealed interface ConnectOutcome {
  /** The saved session is used: already connected (nothing done), or a connection was started. */
  record Resumed(boolean alreadyConnected) implements ConnectOutcome {
  }

  /** A pairing by phone number started; the user types {@code code} on the phone. */
  record PairingCode(String code) implements ConnectOutcome {
  }

  /** A QR pairing started; {@code pngDataUrl} is the code rendered as a {@code data:image/png;base64,...} URL. */
  record QrCode(String code, String pngDataUrl) implements ConnectOutcome {
  }
}
