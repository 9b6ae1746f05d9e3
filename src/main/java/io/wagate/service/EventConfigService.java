package io.wagate.service;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.wagate.Principal;
import io.wagate.mapping.InstanceMapper;
import io.wagate.mapping.Views.WebhookView;
import io.wagate.mapping.Views.WebsocketView;
import io.wagate.repository.IntegrationRepository;
import io.wagate.repository.Transactions;
import io.wagate.security.SecretCipher;
import io.wagate.security.WebhookTargets;
import io.wagate.service.command.WebhookRequest;
import io.wagate.service.command.WebsocketRequest;

/** The Events module's configuration routes (docs/API.md, sections 3.2 and 3.3). */
@ApplicationScoped
public class EventConfigService {
  static final int MAX_ENABLED_WEBHOOKS = 3;
  private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

  private final InstanceService instanceService;
  private final Transactions transactions;
  private final IntegrationRepository integrations;
  private final WebhookTargets targets;
  private final SecretCipher cipher;

  public EventConfigService(InstanceService instanceService, Transactions transactions, IntegrationRepository integrations, WebhookTargets targets,
      SecretCipher cipher) {
    this.instanceService = instanceService;
    this.transactions = transactions;
    this.integrations = integrations;
    this.targets = targets;
    this.cipher = cipher;
  }

  /** Upsert by label, full replace; {@code enabled: false} keeps the row and clears url, authorization, events, mediaBase64. */
  public Uni<WebhookView> configureWebhook(Principal principal, String name, WebhookRequest req) {
    return instanceService.resolve(principal, name).chain(i -> {
      if (req == null || (req.label() != null && !LABEL.matcher(req.label()).matches())) {
        return Uni.createFrom().failure(DomainException.invalidBody());
      }
      String label = req.label() == null ? "default" : req.label();
      boolean enabled = !Boolean.FALSE.equals(req.enabled());
      List<String> events = Validation.events(req.events());
      if (enabled && !targets.acceptable(req.url())) {
        return Uni.createFrom().failure(DomainException.invalidInput("Invalid webhook URL"));
      }
      String authorization = enabled ? cipher.encrypt(emptyToNull(req.authorization())) : null;
      IntegrationRepository.Webhook row = enabled
          ? new IntegrationRepository.Webhook(label, true, req.url(), authorization, Boolean.TRUE.equals(req.byEvents()), events,
              Boolean.TRUE.equals(req.mediaBase64()))
          : new IntegrationRepository.Webhook(label, false, null, null, Boolean.TRUE.equals(req.byEvents()), List.of(), false);
      String secret = cipher.encrypt(emptyToNull(req.secret()));
      return transactions.run(conn -> integrations.lockInstance(conn, i.id())
          .chain(found -> {
            if (!found) {
              return Uni.createFrom().failure(DomainException.instanceNotFound());
            }
            return enabled ? integrations.countEnabledOtherThan(conn, i.id(), label) : Uni.createFrom().item(0L);
          })
          .invoke(others -> {
            if (others >= MAX_ENABLED_WEBHOOKS) {
              throw DomainException.conflict("Maximum of 3 enabled webhooks per instance");
            }
          })
          .chain(() -> integrations.replaceWebhook(conn, i.id(), label, row.enabled(), row.url(), authorization, row.byEvents(), row.events(), row.mediaBase64(), secret)))
          .map(v -> view(row));
    });
  }

  /** All webhooks, sorted by label. */
  public Uni<List<WebhookView>> webhooks(Principal principal, String name) {
    return instanceService.resolve(principal, name).chain(i -> integrations.webhooks(i.id())).map(list -> list.stream().map(this::view).toList());
  }

  /** The webhook with {@code label}, or {@code NOT_FOUND} {@code Webhook not found}. */
  public Uni<WebhookView> webhook(Principal principal, String name, String label) {
    return instanceService.resolve(principal, name).chain(i -> integrations.webhooks(i.id())).map(list -> list.stream()
        .filter(w -> w.label().equals(label)).findFirst().map(this::view).orElseThrow(() -> DomainException.notFound("Webhook not found")));
  }

  public Uni<WebsocketView> configureWebsocket(Principal principal, String name, WebsocketRequest req) {
    return instanceService.resolve(principal, name).chain(i -> {
      if (req == null) {
        return Uni.createFrom().failure(DomainException.invalidBody());
      }
      boolean enabled = !Boolean.FALSE.equals(req.enabled());
      List<String> events = enabled ? Validation.events(req.events()) : List.of();
      boolean media = enabled && Boolean.TRUE.equals(req.mediaBase64());
      return integrations.upsertWebsocket(i.id(), enabled, events, media)
          .map(v -> InstanceMapper.websocket(enabled, events, media));
    });
  }

  public Uni<WebsocketView> getWebsocket(Principal principal, String name) {
    return instanceService.resolve(principal, name).chain(i -> integrations.websocket(i.id())).map(cfg -> {
      if (cfg == null) {
        throw DomainException.notFound("WebSocket not configured for this instance");
      }
      return InstanceMapper.websocket(cfg.getBoolean("enabled"), cfg.getJsonArray("events").getList(), cfg.getBoolean("mediaBase64"));
    });
  }

  /** RyzeAPI returns {@code authorization} decrypted (clients compare it after saving); the {@code secret} extension never leaves. */
  private WebhookView view(IntegrationRepository.Webhook w) {
    return new WebhookView(w.label(), w.enabled(), w.url(), cipher.decrypt(w.authorizationEnc()), w.byEvents(), w.events(), w.mediaBase64());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
