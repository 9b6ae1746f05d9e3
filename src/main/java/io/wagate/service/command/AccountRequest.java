package io.wagate.service.command;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection // bound by Jackson through reflection in the native image
public record AccountRequest(String name, Integer instanceQuota, Integer rateLimitPerMinute) {
}
