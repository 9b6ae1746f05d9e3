package io.wagate.service.command;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection // bound by Jackson through reflection in the native image
public record ProxyRequest(Boolean enabled, String host, String port, String protocol, String username, String password) {
}
