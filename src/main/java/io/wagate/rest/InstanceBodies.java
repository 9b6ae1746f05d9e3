package io.wagate.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.InstanceState;
import io.wagate.mapping.Views.CreatedWebhook;
import io.wagate.mapping.Views.ListItem;
import io.wagate.mapping.Views.ProxyView;
import io.wagate.mapping.Views.S3Stored;
import io.wagate.mapping.Views.S3View;
import io.wagate.mapping.Views.SettingsView;
import io.wagate.mapping.Views.WebhookView;
import io.wagate.mapping.Views.WebsocketView;
import io.wagate.service.CreatedInstance;

/** The RyzeAPI bodies of create and list (docs/API.md, sections 2.1 and 2.4); component order is the JSON order. */
public final class InstanceBodies {
  private InstanceBodies() {
  }

  @RegisterForReflection
  @Schema(name = "ListResponse")
  public record Listing(@Schema(required = true, enumeration = "true") boolean success, String message, @Schema(required = true) List<ListItem> instances) {
    static Listing of(List<ListItem> items) {
      return new Listing(true, items.size() == 1 ? "1 Instance found" : items.size() + " Instances found", items);
    }
  }

  @RegisterForReflection
  @Schema(requiredProperties = {"name", "token", "status"})
  public record NewInstance(String name, String token, @Schema(enumeration = "disconnected") String status) {
  }

  @RegisterForReflection
  public record TokenData(String token) {
  }

  @RegisterForReflection
  public record Chatwoot(String status, String error) {
  }

  /** The inline blocks appear only when the request had them (hence NON_NULL here; inside a block a null is written). */
  @RegisterForReflection
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "CreateInstanceResponse")
  public record Created(@Schema(required = true, enumeration = "true") boolean success, String message, @Schema(required = true) NewInstance instance,
      @Schema(required = true) TokenData data, SettingsView settings, ProxyView proxy, @Schema(implementation = S3Stored.class) S3View s3,
      @Schema(implementation = WebhookView.class) CreatedWebhook webhook, WebsocketView websocket, Chatwoot chatwoot) {
    static Created of(CreatedInstance c) {
      CreatedInstance.Blocks b = c.blocks();
      return new Created(true, "Instance created", new NewInstance(c.name(), c.token(), InstanceState.DISCONNECTED.wire()), new TokenData(c.token()),
          b.settings(), b.proxy(), b.s3(), b.webhook(), b.websocket(), b.chatwootRefused() ? new Chatwoot("error", "integration gateway not configured") : null);
    }
  }
}
