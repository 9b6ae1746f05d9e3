package io.wagate.service.command;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code POST /api/message/reaction/:instance}; {@code reaction} "remove" or "" clears it. */
@RegisterForReflection // bound by Jackson through reflection in the native image
@Schema(name = "ReactionRequest")
public record ReactionRequest(@Schema(required = true, description = "The chat of the target message (same forms as sendText's number)") String number,
    @Schema(required = true, description = "The message reacted to") String messageId,
    @Schema(required = true, description = "One emoji, or \"remove\" / \"\" to clear the reaction") String reaction,
    @Schema(description = "Whether the target was sent by this instance; default: from the event log, else false") Boolean fromMe,
    @Schema(description = TextRequest.GROUPS_ONLY) String participant, @Schema(maxLength = 100) String source) {
}
