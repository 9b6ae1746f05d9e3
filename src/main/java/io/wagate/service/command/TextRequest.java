package io.wagate.service.command;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code POST /api/message/text/:instance}; group-only fields are accepted and ignored in private chats. */
@RegisterForReflection // bound by Jackson through reflection in the native image
@Schema(name = "TextRequest")
public record TextRequest(
    @Schema(required = true, description = TextRequest.NUMBER, example = "5511999999999") String number,
    @Schema(description = "Read when number is absent") String to,
    @Schema(required = true, minLength = 1, maxLength = 65536) String message,
    @Schema(description = "Accepted; no preview is built") Boolean linkPreview,
    @Schema(minimum = "0", maximum = "60", description = "Seconds to wait before sending (no typing indicator yet)") Integer delay,
    @Schema(description = "Id of a message in this instance's event log") String replyTo,
    @Schema(description = TextRequest.GROUPS_ONLY) Boolean replyPrivate,
    @Schema(description = TextRequest.GROUPS_ONLY) List<String> mention,
    @Schema(description = TextRequest.GROUPS_ONLY) Boolean mentionAll,
    @Schema(maxLength = 100, description = "Trace label copied into the events; default \"api\"") String source) {
  static final String NUMBER = "Digits (+, spaces, -, parentheses are stripped; 8-15 digits left), a user JID, or a <id>@lid JID";
  static final String GROUPS_ONLY = "Groups only; ignored";
}
