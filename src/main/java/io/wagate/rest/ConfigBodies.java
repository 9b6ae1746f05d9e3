package io.wagate.rest;

import java.util.List;

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
  public record Settings(boolean success, String message, SettingsView settings) {
    static Settings of(String message, SettingsView settings) {
      return new Settings(true, message, settings);
    }
  }

  @RegisterForReflection
  public record Proxy(boolean success, String message, ProxyView proxy) {
    static Proxy of(String message, ProxyView proxy) {
      return new Proxy(true, message, proxy);
    }
  }

  /** {@code getS3} answers without a message. */
  @RegisterForReflection
  public record S3Read(boolean success, S3Stored s3) {
    static S3Read of(S3Stored s3) {
      return new S3Read(true, s3);
    }
  }

  @RegisterForReflection
  public record S3Updated(boolean success, String message, S3View s3) {
    static S3Updated of(S3View s3) {
      return new S3Updated(true, "S3 configuration updated", s3);
    }
  }

  @RegisterForReflection
  public record Webhook(boolean success, String message, WebhookView webhook) {
    static Webhook of(String message, WebhookView webhook) {
      return new Webhook(true, message, webhook);
    }
  }

  @RegisterForReflection
  public record Webhooks(boolean success, String message, List<WebhookView> webhooks) {
    static Webhooks of(List<WebhookView> webhooks) {
      return new Webhooks(true, WEBHOOK_RETRIEVED, webhooks);
    }
  }

  @RegisterForReflection
  public record Websocket(boolean success, String message, WebsocketView websocket) {
    static Websocket of(String message, WebsocketView websocket) {
      return new Websocket(true, message, websocket);
    }
  }

  static final String WEBHOOK_RETRIEVED = "Webhook configuration retrieved";
}
