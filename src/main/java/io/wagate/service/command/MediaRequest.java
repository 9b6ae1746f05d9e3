package io.wagate.service.command;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code POST /api/message/media/:instance}: the media by URL or base64, its caption and card fields. */
@RegisterForReflection // bound by Jackson through reflection in the native image
public record MediaRequest(String number, String to, String mediaType, String mediaUrl, String mediaBase64, String message, String mimeType,
    String fileName, @JsonProperty("isVoice") Boolean isVoice, Integer duration, List<Integer> waveform, Integer delay, String replyTo,
    Boolean replyPrivate, List<String> mention, Boolean mentionAll, String source) {
}
