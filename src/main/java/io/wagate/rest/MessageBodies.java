package io.wagate.rest;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.SentMessage;
import io.wagate.mapping.MessageMapper;
import io.wagate.service.MessageService;

/** The RyzeAPI bodies of the Messages module (docs/MESSAGES.md); component order is the JSON order. */
public final class MessageBodies {
  private MessageBodies() {
  }

  @RegisterForReflection
  @Schema(name = "SentResponse")
  public record Sent(@Schema(required = true, enumeration = "true") boolean success, @Schema(required = true) String message,
      @Schema(required = true, enumeration = "sent") String status, @Schema(required = true) SentData data) {
    static Sent of(String message, MessageService.Sent t) {
      SentMessage s = t.sent();
      SentMessage.Media m = s.media();
      return new Sent(true, message, "sent", new SentData(s.id(), t.type(), t.content(), "outgoing",
          Instant.ofEpochSecond(s.timestampUnix()).toString(), t.source(), Chat.of(s.chat()), Sender.of(s.sender()),
          t.replyTo() == null ? null : new ReplyTo(t.replyTo()), m == null ? null : m.url(), m == null ? null : m.mimetype(),
          m == null ? null : m.size()));
    }
  }

  /** {@code replyTo} only when the send quoted a message; the {@code media*} fields only for media (the uploaded blob). */
  @RegisterForReflection
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SentData(@Schema(required = true) String messageId,
      @Schema(enumeration = {"text", "reaction", "image", "video", "audio", "document"}) String messageType, String content,
      @Schema(enumeration = "outgoing") String direction, @Schema(format = "date-time") String timestamp, String source, Chat chat, Sender sender,
      ReplyTo replyTo, @Schema(description = "Media only: the WhatsApp CDN URL of the encrypted blob") String mediaUrl,
      @Schema(description = "Media only") String mediaMimeType, @Schema(description = "Media only: bytes") Long mediaSize) {
  }

  @RegisterForReflection
  public record ReplyTo(String messageId) {
  }

  /** markRead answers in the chat module's snake_case. */
  @RegisterForReflection
  @Schema(name = "MarkedReadResponse", requiredProperties = {"success", "message", "message_id", "chat_jid"})
  public record MarkedRead(@Schema(enumeration = "true") boolean success, String message, @JsonProperty("message_id") String messageId,
      @JsonProperty("chat_jid") String chatJid) {
    static MarkedRead of(String messageId, String chatJid) {
      return new MarkedRead(true, "Message marked as read successfully", messageId, chatJid);
    }
  }

  @RegisterForReflection
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Chat(String jid, String lid, String type) {
    static Chat of(SentMessage.Party p) {
      return new Chat(MessageMapper.apiJid(p.jid()), MessageMapper.apiLid(p.lid()), "private");
    }
  }

  @RegisterForReflection
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Sender(String jid, String lid) {
    static Sender of(SentMessage.Party p) {
      return new Sender(MessageMapper.apiJid(p.jid()), MessageMapper.apiLid(p.lid()));
    }
  }

}
