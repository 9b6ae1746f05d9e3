package io.wagate.service.command;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.EventName;

@RegisterForReflection // bound by Jackson through reflection in the native image
/** The anyOf that makes url required unless enabled is false is in META-INF/openapi.yaml: it is inline there. */
@Schema(name = "WebhookRequest", description = "url is required unless enabled is false")
public record WebhookRequest(@Schema(defaultValue = "default", pattern = "^[A-Za-z0-9_.-]{1,64}$") String label, Boolean enabled,
    @Schema(format = "uri", pattern = "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$", description = "http or https, with a host") String url,
    @Schema(pattern = Patterns.NO_NUL, description = "Sent as the Authorization header of deliveries") String authorization,
    @Schema(description = "POST to url/<event>") Boolean byEvents,
    @Schema(type = SchemaType.ARRAY, implementation = EventName.class) List<String> events, Boolean mediaBase64,
    @Schema(writeOnly = true, pattern = Patterns.NO_NUL, description = "Signs deliveries: X-Wagate-Signature t=<unix>,v1=<hex HMAC-SHA256>") String secret) {
}
