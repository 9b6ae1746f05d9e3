package io.wagate.service;

import java.util.List;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.Principal;
import io.wagate.client.SidecarClient;
import io.wagate.cluster.Ownership;
import io.wagate.health.DatabaseOutage;
import io.wagate.mapping.InstanceMapper;
import io.wagate.mapping.Views.ListItem;
import io.wagate.mapping.Views.ProxyView;
import io.wagate.mapping.Views.S3Stored;
import io.wagate.mapping.Views.S3View;
import io.wagate.mapping.Views.SettingsView;
import io.wagate.mapping.Views.WebhookFlag;
import io.wagate.mapping.Views.WebsocketView;
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
  private final Ownership ownership;
  private final SecretCipher cipher;
  private final WebhookTargets targets;

  public ConfigService(InstanceService instanceService, InstanceRepository instances, SidecarClient sidecar,
      SecretCipher cipher, WebhookTargets targets, Ownership ownership) {
    this.ownership = ownership;
    this.targets = targets;
    this.instanceService = instanceService;
    this.instances = instances;
    this.sidecar = sidecar;
    this.cipher = cipher;
  }

  /** The list route's items, in the order {@link InstanceService#list} found them. */
  public Uni<List<ListItem>> list(Principal principal, List<String> names) {
    return instanceService.list(principal, names).map(list -> list.stream().map(l -> {
      WebsocketView websocket = l.websocketEnabled() == null ? InstanceMapper.websocket(false, List.of(), false)
          : InstanceMapper.websocket(l.websocketEnabled(), l.websocketEvents().getList(), Boolean.TRUE.equals(l.websocketMediaBase64()));
      return InstanceMapper.listItem(l.instance(), instanceService.token(l.instance()), new WebhookFlag("default", l.webhookEnabled()), websocket);
    }).toList());
  }

  public Uni<SettingsView> getSettings(Principal principal, String name) {
    return instanceService.resolve(principal, name).map(i -> InstanceMapper.settings(i.settings()));
  }

  public Uni<SettingsView> updateSettings(Principal principal, String name, SettingsRequest req) {
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
          .map(v -> InstanceMapper.settings(next));
    });
  }

  /** Live sessions get the new settings at once; a sidecar that does not know the instance simply applies them later. */
  private Uni<Void> pushSettings(Instance i, Instance.Settings settings) {
    if (i.state() != InstanceState.CONNECTED && i.state() != InstanceState.CONNECTING) {
      return Uni.createFrom().voidItem();
    }
    return sidecar.updateSettings(i.id(), ownership.epoch(i.id()), settings).onFailure().recoverWithUni(e -> {
      Log.warnf("Settings of instance %s stored but not pushed: %s", i.id(), e.getMessage());
      return Uni.createFrom().voidItem();
    });
  }

  public Uni<ProxyView> getProxy(Principal principal, String name) {
    return instanceService.resolve(principal, name).map(i -> InstanceMapper.proxy(i.proxy()));
  }

  public Uni<ProxyView> updateProxy(Principal principal, String name, ProxyRequest req) {
    return instanceService.resolve(principal, name).chain(i -> {
      if (req == null) {
        return Uni.createFrom().failure(DomainException.invalidBody());
      }
      Instance.Proxy next = Validation.proxy(req, cipher, targets::acceptableHost);
      return instances.updateProxy(i.id(), next)
          .onFailure(e -> !DatabaseOutage.isDown(e)).transform(e -> DomainException.failed("Failed to update proxy configuration"))
          .map(v -> InstanceMapper.proxy(next));
    });
  }

  public Uni<S3Stored> getS3(Principal principal, String name) {
    return instanceService.resolve(principal, name).map(i -> InstanceMapper.s3Stored(i.s3()));
  }

  public Uni<S3View> updateS3(Principal principal, String name, S3Request req) {
    return instanceService.resolve(principal, name).chain(i -> {
      if (req == null || req.enabled() == null || Stream.of(req.region(), req.bucket(), req.accessKey(), req.endpoint(), req.pathPrefix())
          .anyMatch(Validation::hasControl)) {
        return Uni.createFrom().failure(DomainException.invalidBody());
      }
      Instance.S3 next = S3Blocks.build(req, cipher);
      return instances.updateS3(i.id(), next)
          .onFailure(e -> !DatabaseOutage.isDown(e)).transform(e -> DomainException.failed("Failed to update S3 configuration"))
          .map(v -> InstanceMapper.s3(next));
    });
  }
}
