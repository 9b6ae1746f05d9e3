package io.wagate.mapping;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wagate.MessageEvent;
import io.wagate.SentMessage;
import io.wagate.sidecar.grpc.Media;
import io.wagate.sidecar.grpc.Message;
import io.wagate.sidecar.grpc.Party;
import io.wagate.sidecar.grpc.Receipt;
import io.wagate.sidecar.grpc.SendResponse;

/** Sidecar messages and receipts → the {@code message.exchange} / {@code message.status} data of docs/MESSAGES.md. */
public final class MessageMapper {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final String USER_SERVER = "@s.whatsapp.net";

  private MessageMapper() {
  }

  public static MessageEvent exchange(Message m) {
    String type = m.getType().isEmpty() ? "unsupported" : m.getType();
    JsonObject message = new JsonObject().put("id", m.getId()).put("type", type);
    if (m.hasMedia() && m.getMedia().getType().length() > 0) {
      message.put("media", media(m.getMedia()));
    }
    if (m.hasReaction()) {
      message.put("reaction", new JsonObject().put("messageId", m.getReaction().getTargetId()).put("text", m.getReaction().getText())
          .put("fromMe", m.getReaction().getFromMe()));
    } else if (!m.getText().isEmpty()) {
      message.put("content", new JsonObject().put("text", m.getText()));
    }
    if (!m.getReplyToId().isEmpty()) {
      message.put("reply", new JsonObject().put("message_id", m.getReplyToId()));
    }
    String chatType = m.getChatType().isEmpty() ? "private" : m.getChatType();
    return exchange(m.getId(), m.getFromMe(), m.getTimestampUnix(), party(m.getChat()).put("type", chatType), party(m.getSender()), message, "");
  }

  /** The outgoing echo of a text sent through the API, written once the server acked it. */
  public static MessageEvent sentText(SentMessage sent, String text, String source, String replyTo) {
    JsonObject message = new JsonObject().put("id", sent.id()).put("type", "text").put("content", new JsonObject().put("text", text));
    if (replyTo != null) {
      message.put("reply", new JsonObject().put("message_id", replyTo));
    }
    return exchange(sent.id(), true, sent.timestampUnix(), party(sent.chat()).put("type", "private"), party(sent.sender()), message, source);
  }

  /** The outgoing echo of media sent through the API: {@code media} as the sidecar uploaded it, the caption as the text. */
  public static MessageEvent sentMedia(SentMessage sent, String source, String replyTo) {
    SentMessage.Media m = sent.media();
    JsonObject message = new JsonObject().put("id", sent.id()).put("type", m.type()).put("media", media(m));
    if (m.caption() != null && !m.caption().isEmpty()) {
      message.put("content", new JsonObject().put("text", m.caption()));
    }
    if (replyTo != null) {
      message.put("reply", new JsonObject().put("message_id", replyTo));
    }
    return exchange(sent.id(), true, sent.timestampUnix(), party(sent.chat()).put("type", "private"), party(sent.sender()), message, source);
  }

  /** The outgoing echo of a reaction sent through the API ({@code text} "" when it was removed). */
  public static MessageEvent sentReaction(SentMessage sent, String targetId, String text, boolean targetFromMe, String source) {
    JsonObject message = new JsonObject().put("id", sent.id()).put("type", "reaction")
        .put("reaction", new JsonObject().put("messageId", targetId).put("text", text).put("fromMe", targetFromMe));
    return exchange(sent.id(), true, sent.timestampUnix(), party(sent.chat()).put("type", "private"), party(sent.sender()), message, source);
  }

  /** {@code message.status sent} (extension) for a send the server acked. */
  public static MessageEvent sentStatus(SentMessage sent) {
    JsonObject chat = party(sent.chat()).put("type", "private");
    chat.remove("name");
    return new MessageEvent(MessageEvent.STATUS, new JsonObject().put("messageIds", new JsonArray().add(sent.id())).put("status", "sent")
        .put("timestamp", iso(sent.timestampUnix())).put("chat", chat).put("recipient", chat.getString("jid")));
  }

  public static MessageEvent status(Receipt r) {
    JsonObject chat = party(r.getChat()).put("type", "private");
    chat.remove("name");
    JsonObject data = new JsonObject().put("messageIds", new JsonArray(r.getMessageIdsList())).put("status", r.getStatus())
        .put("timestamp", iso(r.getTimestampUnix())).put("chat", chat).put("recipient", apiJid(r.getRecipient().getJid()));
    if (!r.getFromMeMessages()) {
      // a receipt of this account's own devices about a message it received: the chat's other party wrote it
      data.put("messageSender", chat.getString("jid"));
    }
    return new MessageEvent(MessageEvent.STATUS, data);
  }

  public static SentMessage sent(SendResponse r) {
    Media m = r.getMedia();
    SentMessage.Media media = r.hasMedia() ? new SentMessage.Media(m.getType(), m.getMimetype(), m.getUrl(), m.getSize(), m.getFileName(),
        m.getCaption(), m.getSeconds()) : null;
    return new SentMessage(r.getMessageId(), r.getTimestampUnix(), domain(r.getChat()), domain(r.getSender()), media);
  }

  private static MessageEvent exchange(String id, boolean fromMe, long timestamp, JsonObject chat, JsonObject sender, JsonObject message,
      String source) {
    String direction = fromMe ? "outgoing" : "incoming";
    String at = iso(timestamp);
    message.put("direction", direction).put("fromMe", fromMe).put("timestamp", at).put("chat", chat.copy()).put("sender", sender.copy())
        .put("source", source);
    JsonObject data = new JsonObject().put("id", id).put("direction", direction).put("timestamp", at).put("chat", chat).put("sender", sender)
        .put("message", message);
    return new MessageEvent(MessageEvent.EXCHANGE, data);
  }

  private static JsonObject media(Media m) {
    return media(new SentMessage.Media(m.getType(), m.getMimetype(), m.getUrl(), m.getSize(), m.getFileName(), m.getCaption(), m.getSeconds()));
  }

  private static JsonObject media(SentMessage.Media m) {
    JsonObject out = new JsonObject().put("type", m.type()).put("mimetype", m.mimetype()).put("url", m.url()).put("size", m.size());
    putIfPresent(out, "fileName", m.fileName());
    putIfPresent(out, "caption", m.caption());
    if (m.seconds() > 0) {
      out.put("seconds", m.seconds());
    }
    return out;
  }

  private static JsonObject party(Party p) {
    return party(p.getJid(), p.getLid(), p.getName());
  }

  private static JsonObject party(SentMessage.Party p) {
    return p == null ? new JsonObject() : party(p.jid(), p.lid(), p.name());
  }

  private static JsonObject party(String jid, String lid, String name) {
    JsonObject out = new JsonObject().put("jid", apiJid(jid));
    putIfPresent(out, "lid", bare(lid));
    putIfPresent(out, "name", name);
    return out;
  }

  private static SentMessage.Party domain(Party p) {
    return new SentMessage.Party(p.getJid(), p.getLid(), p.getName());
  }

  /** A LID JID without its device suffix. */
  public static String apiLid(String lid) {
    return bare(lid);
  }

  /** The API's {@code jid}: bare digits for a phone-number user, otherwise the JID without its device suffix. */
  public static String apiJid(String jid) {
    String b = bare(jid);
    return b != null && b.endsWith(USER_SERVER) ? b.substring(0, b.length() - USER_SERVER.length()) : b;
  }

  /** Drops a device suffix: {@code 5511…:3@s.whatsapp.net} → {@code 5511…@s.whatsapp.net}. */
  private static String bare(String jid) {
    if (jid == null || jid.isEmpty()) {
      return null;
    }
    int at = jid.indexOf('@');
    int colon = jid.indexOf(':');
    return colon > 0 && at > colon ? jid.substring(0, colon) + jid.substring(at) : jid;
  }

  private static void putIfPresent(JsonObject o, String key, String value) {
    if (value != null && !value.isEmpty()) {
      o.put(key, value);
    }
  }

  private static String iso(long unixSeconds) {
    return SECONDS.format(Instant.ofEpochSecond(unixSeconds > 0 ? unixSeconds : Instant.now().getEpochSecond()));
  }
}
