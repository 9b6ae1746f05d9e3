package io.wagate.service.command;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code POST /api/chat/markRead/:instance}. */
@RegisterForReflection // bound by Jackson through reflection in the native image
public record MarkReadRequest(String messageId, String number, String sender) {
}
