package io.wagate.service.command;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code POST /api/message/media/:instance}: the media by URL or base64, its caption and card fields. */
@RegisterForReflection // bound by Jackson through reflection in the native image
@Schema(name = "MediaRequest")
public record MediaRequest(
    @Schema(required = true, description = TextRequest.NUMBER, example = "5511999999999") String number,
    @Schema(description = "Read when number is absent") String to,
    @Schema(required = true, enumeration = {"image", "video", "audio", "document"}) String mediaType,
    @Schema(description = "An http(s) URL, or raw base64, or a data:<mime>;base64, URL") String mediaUrl,
    @Schema(description = "Raw base64 or a data: URL; exactly one of mediaUrl and mediaBase64") String mediaBase64,
    @Schema(description = "Caption (image, video, document); ignored for audio") String message,
    @Schema(description = "Default: the data: prefix, the download's Content-Type, then the magic bytes") String mimeType,
    @Schema(description = "Documents: the name on the card; default the URL's last path segment, else \"file\"") String fileName,
    @Schema(defaultValue = "true", description = "Audio only; true sends a voice note (PTT)") @JsonProperty("isVoice") Boolean isVoice,
    @Schema(minimum = "0", description = "Audio and video length in seconds") Integer duration,
    @Schema(description = "Accepted; not sent yet") List<Integer> waveform,
    @Schema(minimum = "0", maximum = "60") Integer delay,
    @Schema(description = "Id of a message in this instance's event log") String replyTo,
    @Schema(description = TextRequest.GROUPS_ONLY) Boolean replyPrivate,
    @Schema(description = TextRequest.GROUPS_ONLY) List<String> mention,
    @Schema(description = TextRequest.GROUPS_ONLY) Boolean mentionAll,
    @Schema(maxLength = 100) String source) {
}
