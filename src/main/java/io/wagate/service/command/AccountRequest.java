package io.wagate.service.command;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection // bound by Jackson through reflection in the native image
@Schema(name = "AccountRequest")
public record AccountRequest(
    @Schema(required = true, minLength = 1, maxLength = 100, pattern = Patterns.NO_NUL) String name,
    @Schema(minimum = "0") Integer instanceQuota,
    @Schema(minimum = "1") Integer rateLimitPerMinute) {
}
