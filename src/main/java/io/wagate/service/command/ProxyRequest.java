package io.wagate.service.command;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection // bound by Jackson through reflection in the native image
/** The anyOf that makes host, port and protocol required unless enabled is false is in META-INF/openapi.yaml: it is inline there. */
@Schema(name = "ProxyRequest", description = "host, port and protocol are required unless enabled is false; a password needs a username")
public record ProxyRequest(Boolean enabled,
    @Schema(pattern = "^[A-Za-z0-9._:\\[\\]-]{1,253}$") String host,
    @Schema(pattern = Patterns.PORT, description = "1-65535, as a string") String port,
    @Schema(enumeration = {"http", "https", "socks5"}) String protocol,
    @Schema(pattern = Patterns.PLAIN) String username,
    @Schema(writeOnly = true, pattern = Patterns.NO_NUL) String password) {
}
