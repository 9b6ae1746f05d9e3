package io.wagate.service.command;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code POST /api/chat/markRead/:instance}. */
@RegisterForReflection // bound by Jackson through reflection in the native image
@Schema(name = "MarkReadRequest")
public record MarkReadRequest(@Schema(required = true) String messageId,
    @Schema(required = true, description = "The chat (same forms as sendText's number)") String number,
    @Schema(description = "The author's JID; the chat itself in a one-to-one chat") String sender) {
}
