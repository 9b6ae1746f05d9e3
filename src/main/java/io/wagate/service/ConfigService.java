package io.wagate.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.Principal;
import io.wagate.client.SidecarClient;
import io.wagate.health.DatabaseOutage;
import io.wagate.mapping.InstanceMapper;
import io.wagate.repository.InstanceRepository;
import io.wagate.security.SecretCipher;
import io.wagate.security.WebhookTargets;
import io.wagate.service.command.ProxyRequest;
import io.wagate.service.command.S3Request;
import io.wagate.service.command.SettingsRequest;

/** Settings, proxy and S3 of one instance, plus the list route's view. */
@ApplicationScoped
public class ConfigService {
  private final InstanceService instanceService;
  private final InstanceRepository instances;
  private final SidecarClient sidecar;
  private final SecretCipher cipher;
  private final WebhookTargets targets;

  public ConfigService(InstanceService instanceService, InstanceRepository instances, SidecarClient sidecar,
      SecretCipher cipher, WebhookTargets targets) {
    this.targets = targets;
    this.instanceService = instanceService;
    this.instances = instances;
    this.sidecar = sidecar;
    this.cipher = cipher;
  }

  public Uni<Map<String, Object>> list(Principal principal, List<String> names) {
    return instanceService.list(principal, names).map(list -> {
      List<Map<String, Object>> items = list.stream().map(l -> {
        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("label", "default");
        webhook.put("enabled", l.webhookEnabled());
        Map<String, Object> websocket = l.websocketEnabled() == null ? InstanceMapper.websocket(false, List.of(), false)
            : InstanceMapper.websocket(l.websocketEnabled(), l.websocketEvents().getList(), Boolean.TRUE.equals(l.websocketMediaBase64()));
        return instanceService.listItem(l.instance(), webhook, websocket);
      }).toList();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("success", true);
      body.put("message", items.size() == 1 ? "1 Instance found" : items.size() + " Instances found");
      body.put("instances", items);
      return body;
    });
  }

  public Uni<Map<String, Object>> getSettings(Principal principal, String name) {
    return instanceService.resolve(principal, name).map(i -> body("Settings retrieved successfully", "settings", InstanceMapper.settings(i.settings())));
  }

  public Uni<Map<String, Object>> updateSettings(Principal principal, String name, SettingsRequest req) {
    return instanceService.resolve(principal, name).chain(i -> {
      if (req == null) {
        return Uni.createFrom().failure(DomainException.invalidBody());
      }
      if (!req.hasAny()) {
        return Uni.createFrom().failure(DomainException.invalidInput("At least one setting must be provided"));
      }
      Instance.Settings next = req.applyTo(i.settings());
      return instances.updateSettings(i.id(), next)
          .onFailure(e -> !DatabaseOutage.isDown(e)).transform(e -> DomainException.failed("Failed to update settings configuration"))
          .call(() -> pushSettings(i, next))
          .map(v -> body("Settings updated successfully", "settings", InstanceMapper.settings(next)));
    });
  }

  /** Live sessions get the new settings at once; a sidecar that does not know the instance simply applies them later. */
  private Uni<Void> pushSettings(Instance i, Instance.Settings settings) {
    if (i.state() != InstanceState.CONNECTED && i.state() != InstanceState.CONNECTING) {
      return Uni.createFrom().voidItem();
    }
    return sidecar.updateSettings(i.id(), settings).onFailure().recoverWithUni(e -> {
      Log.warnf("Settings of instance %s stored but not pushed: %s", i.id(), e.getMessage());
      return Uni.createFrom().voidItem();
    });
  }

  public Uni<Map<String, Object>> getProxy(Principal principal, String name) {
    return instanceService.resolve(principal, name)
        .map(i -> body("Proxy configuration retrieved successfully", "proxy", InstanceMapper.proxy(i.proxy())));
  }

  public Uni<Map<String, Object>> updateProxy(Principal principal, String name, ProxyRequest req) {
    return instanceService.resolve(principal, name).chain(i -> {
      if (req == null) {
        return Uni.createFrom().failure(DomainException.invalidBody());
      }
      Instance.Proxy next = Validation.proxy(req, cipher, targets::acceptableHost);
      return instances.updateProxy(i.id(), next)
          .onFailure(e -> !DatabaseOutage.isDown(e)).transform(e -> DomainException.failed("Failed to update proxy configuration"))
          .map(v -> body("Proxy configuration updated", "proxy", InstanceMapper.proxy(next)));
    });
  }

  public Uni<Map<String, Object>> getS3(Principal principal, String name) {
    return instanceService.resolve(principal, name).map(i -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("success", true);
      body.put("s3", InstanceMapper.s3(i.s3(), true));
      return body;
    });
  }

  public Uni<Map<String, Object>> updateS3(Principal principal, String name, S3Request req) {
    return instanceService.resolve(principal, name).chain(i -> {
      if (req == null || req.enabled() == null || Stream.of(req.region(), req.bucket(), req.accessKey(), req.endpoint(), req.pathPrefix())
          .anyMatch(Validation::hasControl)) {
        return Uni.createFrom().failure(DomainException.invalidBody());
      }
      Instance.S3 next = S3Blocks.build(req, cipher);
      return instances.updateS3(i.id(), next)
          .onFailure(e -> !DatabaseOutage.isDown(e)).transform(e -> DomainException.failed("Failed to update S3 configuration"))
          .map(v -> body("S3 configuration updated", "s3", InstanceMapper.s3(next, false)));
    });
  }

  private static Map<String, Object> body(String message, String key, Object payload) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("message", message);
    body.put(key, payload);
    return body;
  }
}
