package io.wagate;

/**
 * A send the WhatsApp server acknowledged: its id, the server time (Unix seconds), the chat and this account, and for
 * media the uploaded blob ({@code media} null otherwise).
 */
public record SentMessage(String id, long timestampUnix, Party chat, Party sender, Media media) {
  public SentMessage(String id, long timestampUnix, Party chat, Party sender) {
    this(id, timestampUnix, chat, sender, null);
  }

  /** One side of a conversation as the sidecar names it: a user or LID JID, the LID JID when known, the push name. */
  public record Party(String jid, String lid, String name) {
  }

  /** The uploaded media: its type ({@code ptt} for a voice note), the CDN URL of the encrypted blob, the plaintext size. */
  public record Media(String type, String mimetype, String url, long size, String fileName, String caption, int seconds) {
  }
}
