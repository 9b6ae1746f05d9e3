package io.wagate.service;

import java.util.List;
import java.util.function.Predicate;

import io.wagate.Instance;
import io.wagate.mapping.InstanceMapper;
import io.wagate.mapping.Views.CreatedWebhook;
import io.wagate.security.SecretCipher;
import io.wagate.service.command.CreateInstanceRequest;

/**
 * The optional blocks of a create body, validated one by one: a block that fails does not abort the creation, it is
 * stored disabled and answered with {@code "enabled": false}.
 */
record InlineBlocks(Instance.Settings settings, Instance.Proxy proxy, Instance.S3 s3, WebhookRow webhookRow, WebsocketRow websocketRow,
    CreatedInstance.Blocks answered) {

  record WebhookRow(boolean enabled, String url, String authorization, boolean byEvents, List<String> events, boolean mediaBase64) {
  }

  record WebsocketRow(boolean enabled, List<String> events, boolean mediaBase64) {
  }

  static InlineBlocks from(CreateInstanceRequest req, SecretCipher cipher, Predicate<String> webhookUrlAllowed, Predicate<String> proxyHostAllowed) {
    Instance.Settings settings = req.settings().applyTo(Instance.Settings.DEFAULTS);
    Instance.Proxy proxy = Instance.Proxy.NONE;
    if (req.hasProxy()) {
      try {
        proxy = Validation.proxy(req.proxy(), cipher, proxyHostAllowed);
      } catch (DomainException e) {
        proxy = Instance.Proxy.NONE;
      }
    }
    Instance.S3 s3 = req.hasS3() ? S3Blocks.build(req.s3(), cipher) : Instance.S3.NONE;
    WebhookRow webhook = req.hasWebhook() ? webhook(req, webhookUrlAllowed) : null;
    WebsocketRow websocket = req.hasWebsocket() ? websocket(req) : null;
    CreatedInstance.Blocks answered = new CreatedInstance.Blocks(req.hasSettings() ? InstanceMapper.settings(settings) : null, req.hasProxy() ? InstanceMapper.proxy(proxy) : null,
        req.hasS3() ? InstanceMapper.s3(s3) : null,
        webhook == null ? null : new CreatedWebhook("default", webhook.enabled(), webhook.url(), webhook.byEvents(), webhook.events(), webhook.mediaBase64()),
        websocket == null ? null : InstanceMapper.websocket(websocket.enabled(), websocket.events(), websocket.mediaBase64()),
        Boolean.TRUE.equals(req.chatwootEnabled()));
    return new InlineBlocks(settings, proxy, s3, webhook, websocket, answered);
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
}
