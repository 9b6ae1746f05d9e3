package io.wagate.service.command;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection // bound by Jackson through reflection in the native image
@Schema(name = "S3Request")
public record S3Request(@Schema(required = true) Boolean enabled,
    @Schema(pattern = Patterns.PLAIN, description = Patterns.PLAIN_TEXT) String region,
    @Schema(pattern = Patterns.PLAIN, description = Patterns.PLAIN_TEXT) String bucket,
    @Schema(pattern = Patterns.PLAIN, description = Patterns.PLAIN_TEXT) String accessKey,
    @Schema(writeOnly = true, pattern = Patterns.NO_NUL) String secretKey,
    @Schema(pattern = Patterns.PLAIN, description = Patterns.PLAIN_TEXT) String endpoint,
    @Schema(pattern = Patterns.PLAIN, description = Patterns.PLAIN_TEXT) String pathPrefix) {
}
