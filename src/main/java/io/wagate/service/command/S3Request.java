package io.wagate.service.command;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection // bound by Jackson through reflection in the native image
public record S3Request(Boolean enabled, String region, String bucket, String accessKey, String secretKey, String endpoint, String pathPrefix) {
}
