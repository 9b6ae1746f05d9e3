package io.wagate;

/** A send the WhatsApp server acknowledged: its id, the server time (Unix seconds), the chat and this account. */
public record SentMessage(String id, long timestampUnix, Party chat, Party sender) {
  /** One side of a conversation as the sidecar names it: a user or LID JID, the LID JID when known, the push name. */
  public record Party(String jid, String lid, String name) {
  }
}
