package io.wagate.service.command;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code POST /api/message/text/:instance}; group-only fields are accepted and ignored in private chats. */
@RegisterForReflection // bound by Jackson through reflection in the native image
public record TextRequest(String number, String to, String message, Boolean linkPreview, Integer delay, String replyTo, Boolean replyPrivate,
    List<String> mention, Boolean mentionAll, String source) {
}
