package io.wagate.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.mapping.InstanceMapper;
import io.wagate.security.SecretCipher;
import io.wagate.service.command.CreateInstanceRequest;

/**
 * The optional blocks of a create body, validated one by one: a block that fails does not abort the creation, it is
 * stored disabled and answered with {@code "enabled": false}.
 */
record InlineBlocks(Instance.Settings settings, Instance.Proxy proxy, Instance.S3 s3, WebhookRow webhookRow, WebsocketRow websocketRow,
    Map<String, Object> extra) {

  record WebhookRow(boolean enabled, String url, String authorization, boolean byEvents, List<String> events, boolean mediaBase64) {
  }

  record WebsocketRow(boolean enabled, List<String> events, boolean mediaBase64) {
  }

  static InlineBlocks from(CreateInstanceRequest req, SecretCipher cipher, Predicate<String> webhookUrlAllowed, Predicate<String> proxyHostAllowed) {
    Map<String, Object> extra = new LinkedHashMap<>();
    Instance.Settings settings = req.settings().applyTo(Instance.Settings.DEFAULTS);
    if (req.hasSettings()) {
      extra.put("settings", InstanceMapper.settings(settings));
    }
    Instance.Proxy proxy = Instance.Proxy.NONE;
    if (req.hasProxy()) {
      try {
        proxy = Validation.proxy(req.proxy(), cipher, proxyHostAllowed);
      } catch (DomainException e) {
        proxy = Instance.Proxy.NONE;
      }
      extra.put("proxy", InstanceMapper.proxy(proxy));
    }
    Instance.S3 s3 = Instance.S3.NONE;
    if (req.hasS3()) {
      s3 = S3Blocks.build(req.s3(), cipher);
      extra.put("s3", InstanceMapper.s3(s3, false));
    }
    WebhookRow webhook = null;
    if (req.hasWebhook()) {
      webhook = webhook(req, webhookUrlAllowed);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("label", "default");
      m.put("enabled", webhook.enabled());
      m.put("url", webhook.url());
      m.put("byEvents", webhook.byEvents());
      m.put("events", webhook.events());
      m.put("mediaBase64", webhook.mediaBase64());
      extra.put("webhook", m);
    }
    WebsocketRow websocket = null;
    if (req.hasWebsocket()) {
      websocket = websocket(req);
      extra.put("websocket", InstanceMapper.websocket(websocket.enabled(), websocket.events(), websocket.mediaBase64()));
    }
    if (Boolean.TRUE.equals(req.chatwootEnabled())) {
      extra.put("chatwoot", Map.of("status", "error", "error", "integration gateway not configured"));
    }
    return new InlineBlocks(settings, proxy, s3, webhook, websocket, extra);
  }

  private static WebhookRow webhook(CreateInstanceRequest req, Predicate<String> urlAllowed) {
    boolean enabled = !Boolean.FALSE.equals(req.webhookEnabled());
    boolean byEvents = Boolean.TRUE.equals(req.webhookByEvents());
    boolean media = Boolean.TRUE.equals(req.webhookMediaBase64());
    if (!enabled) {
      return new WebhookRow(false, null, null, byEvents, List.of(), false);
    }
    try {
      List<String> events = Validation.events(req.webhookEvents());
      if (!urlAllowed.test(req.webhookUrl())) {
        return new WebhookRow(false, null, null, byEvents, List.of(), false);
      }
      return new WebhookRow(true, req.webhookUrl(), req.webhookAuthorization(), byEvents, events, media);
    } catch (DomainException e) {
      return new WebhookRow(false, null, null, byEvents, List.of(), false);
    }
  }

  private static WebsocketRow websocket(CreateInstanceRequest req) {
    boolean enabled = !Boolean.FALSE.equals(req.websocketEnabled());
    if (!enabled) {
      return new WebsocketRow(false, List.of(), false);
    }
    try {
      return new WebsocketRow(true, Validation.events(req.websocketEvents()), Boolean.TRUE.equals(req.websocketMediaBase64()));
    } catch (DomainException e) {
      return new WebsocketRow(false, List.of(), false);
    }
  }

  Map<String, Object> response(String name, String token) {
    Map<String, Object> instance = new LinkedHashMap<>();
    instance.put("name", name);
    instance.put("token", token);
    instance.put("status", InstanceState.DISCONNECTED.wire());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("message", "Instance created");
    body.put("instance", instance);
    body.put("data", Map.of("token", token));
    body.putAll(extra);
    return body;
  }
}
