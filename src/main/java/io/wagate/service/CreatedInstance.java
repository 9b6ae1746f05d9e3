package io.wagate.service;

import io.wagate.mapping.Views.CreatedWebhook;
import io.wagate.mapping.Views.ProxyView;
import io.wagate.mapping.Views.S3View;
import io.wagate.mapping.Views.SettingsView;
import io.wagate.mapping.Views.WebsocketView;

/** A new instance: its name, its token (shown this once) and the inline blocks the request had, as stored. */
public record CreatedInstance(String name, String token, Blocks blocks) {

  /** Each block is null when the request did not have it; a refused block is there, disabled. */
  public record Blocks(SettingsView settings, ProxyView proxy, S3View s3, CreatedWebhook webhook, WebsocketView websocket, boolean chatwootRefused) {
  }
}
