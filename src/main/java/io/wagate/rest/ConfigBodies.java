package io.wagate.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.mapping.Views.ProxyView;
import io.wagate.mapping.Views.S3Stored;
import io.wagate.mapping.Views.S3View;
import io.wagate.mapping.Views.SettingsView;
import io.wagate.mapping.Views.WebhookView;
import io.wagate.mapping.Views.WebsocketView;

/** The RyzeAPI bodies of the configuration routes (docs/API.md, sections 2.7 to 2.9, 3.2 and 3.3); component order is the JSON order. */
public final class ConfigBodies {
  private ConfigBodies() {
  }

  @RegisterForReflection
  @Schema(name = "SettingsResponse")
  public record Settings(@Schema(required = true, enumeration = "true") boolean success, String message, @Schema(required = true) SettingsView settings) {
    static Settings of(String message, SettingsView settings) {
      return new Settings(true, message, settings);
    }
  }

  @RegisterForReflection
  @Schema(name = "ProxyResponse")
  public record Proxy(@Schema(required = true, enumeration = "true") boolean success, String message, @Schema(required = true) ProxyView proxy) {
    static Proxy of(String message, ProxyView proxy) {
      return new Proxy(true, message, proxy);
    }
  }

  /** {@code getS3} answers without a message. */
  @RegisterForReflection
  @Schema(name = "S3Response", properties = @SchemaProperty(name = "message", type = SchemaType.STRING))
  public record S3Read(@Schema(required = true, enumeration = "true") boolean success, @Schema(required = true) S3Stored s3) {
    static S3Read of(S3Stored s3) {
      return new S3Read(true, s3);
    }
  }

  @RegisterForReflection
  /** Documented with S3Response's s3 (secretKey: always null), as today's contract reads: the field is absent here. */
  @Schema(name = "S3UpdatedResponse")
  public record S3Updated(@Schema(required = true, enumeration = "true") boolean success, String message, @Schema(required = true, implementation = S3Stored.class) S3View s3) {
    static S3Updated of(S3View s3) {
      return new S3Updated(true, "S3 configuration updated", s3);
    }
  }

  @RegisterForReflection
  @Schema(name = "WebhookResponse")
  public record Webhook(@Schema(required = true, enumeration = "true") boolean success, String message, @Schema(required = true) WebhookView webhook) {
    static Webhook of(String message, WebhookView webhook) {
      return new Webhook(true, message, webhook);
    }
  }

  @RegisterForReflection
  /** With {@code ?label=} the route answers a {@link Webhook} instead: both fields are documented here. */
  @Schema(name = "WebhookListResponse", properties = @SchemaProperty(name = "webhook", implementation = WebhookView.class))
  public record Webhooks(@Schema(required = true, enumeration = "true") boolean success, String message, List<WebhookView> webhooks) {
    static Webhooks of(List<WebhookView> webhooks) {
      return new Webhooks(true, WEBHOOK_RETRIEVED, webhooks);
    }
  }

  @RegisterForReflection
  @Schema(name = "WebsocketResponse")
  public record Websocket(@Schema(required = true, enumeration = "true") boolean success, String message, @Schema(required = true) WebsocketView websocket) {
    static Websocket of(String message, WebsocketView websocket) {
      return new Websocket(true, message, websocket);
    }
  }

  static final String WEBHOOK_RETRIEVED = "Webhook configuration retrieved";
}
