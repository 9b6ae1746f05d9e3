package io.wagate.service.command;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code POST /api/message/reaction/:instance}; {@code reaction} "remove" or "" clears it. */
@RegisterForReflection // bound by Jackson through reflection in the native image
public record ReactionRequest(String number, String messageId, String reaction, Boolean fromMe, String participant, String source) {
}
