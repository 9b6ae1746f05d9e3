package io.wagate.service.command;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection // bound by Jackson through reflection in the native image
public record WebhookRequest(String label, Boolean enabled, String url, String authorization, Boolean byEvents, List<String> events, Boolean mediaBase64,
    String secret) {
}
