package io.wagate.service.command;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.EventName;

@RegisterForReflection // bound by Jackson through reflection in the native image
@Schema(name = "WebsocketRequest")
public record WebsocketRequest(Boolean enabled, @Schema(type = SchemaType.ARRAY, implementation = EventName.class) List<String> events,
    Boolean mediaBase64) {
}
