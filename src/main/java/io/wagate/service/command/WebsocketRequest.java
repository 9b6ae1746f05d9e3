package io.wagate.service.command;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection // bound by Jackson through reflection in the native image
public record WebsocketRequest(Boolean enabled, List<String> events, Boolean mediaBase64) {
}
