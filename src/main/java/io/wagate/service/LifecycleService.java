package io.wagate.service;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.wagate.DesiredState;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.LifecycleEvent;
import io.wagate.PairStart;
import io.wagate.Principal;
import io.wagate.ProxySpec;
import io.wagate.client.SidecarCallException;
import io.wagate.client.SidecarClient;
import io.wagate.client.SidecarErrors;
import io.wagate.cluster.Ownership;
import io.wagate.config.WagateConfig;
import io.wagate.events.EventNotifications;
import io.wagate.health.DatabaseOutage;
import io.wagate.repository.InstanceRepository;
import io.wagate.security.AuthService;
import io.wagate.security.SecretCipher;
import io.wagate.security.TokenHasher;

/** connect, reconnect, logout and delete: desired state is written here, observed state arrives as events. */
@ApplicationScoped
public class LifecycleService {
  private static final Pattern PHONE = Pattern.compile("^[0-9]{8,15}$");
  // reached only when forwarding did not happen (a second hop, or the owner changed in between): never act on another's instance
  private static final String OWNED_ELSEWHERE = "instance is owned by another gateway";

  private final InstanceService instanceService;
  private final InstanceRepository instances;
  private final SidecarClient sidecar;
  private final StateRecorder recorder;
  private final SecretCipher cipher;
  private final AuthService auth;
  private final EventBus bus;
  private final WagateConfig config;
  private final LifecycleMetrics metrics;
  private final SessionMirror mirror;
  private final Ownership ownership;

  @SuppressWarnings("java:S107") // one collaborator per concern; a parameter object would only hide them
  public LifecycleService(InstanceService instanceService, InstanceRepository instances, SidecarClient sidecar,
      StateRecorder recorder, SecretCipher cipher, AuthService auth, EventBus bus, WagateConfig config,
      LifecycleMetrics metrics, SessionMirror mirror, Ownership ownership) {
    this.ownership = ownership;
    this.metrics = metrics;
    this.mirror = mirror;
    this.instanceService = instanceService;
    this.instances = instances;
    this.sidecar = sidecar;
    this.recorder = recorder;
    this.cipher = cipher;
    this.auth = auth;
    this.bus = bus;
    this.config = config;
  }

  public Uni<ConnectOutcome.Resumed> reconnect(Principal principal, String name) {
    return instanceService.resolveWithSession(principal, name).chain(found -> {
      Instance i = found.instance();
      if (!found.hasSession()) {
        metrics.reconnect("api", "no_session");
        return Uni.createFrom().failure(DomainException.noSavedSession());
      }
      // The seed table (docs/API.md, section 2.3) lists an unreachable sidecar under 500, so RyzeAPI clients see the documented code.
      return resume(i, "Failed to reconnect: ")
          .invoke(r -> metrics.reconnect("api", r.alreadyConnected() ? "already_connected" : "initiated"))
          .onFailure().invoke(e -> metrics.reconnect("api", e instanceof DomainException d && d.kind() == DomainException.Kind.NO_SAVED_SESSION ? "no_session" : "failed"))
          .onFailure(SidecarErrors::unreachable).transform(e -> DomainException.failed("Failed to reconnect: sidecar unavailable"));
    });
  }

  public Uni<ConnectOutcome> connect(Principal principal, String name, String number, String history) {
    return instanceService.resolveWithSession(principal, name).chain(found -> {
      if (number != null && !PHONE.matcher(number).matches()) {
        return Uni.createFrom().failure(DomainException.invalidInput("Invalid phone number"));
      }
      int historyDays = parseHistory(history);
      return found.hasSession() ? resume(found.instance(), "Failed to connect: ").map(ConnectOutcome.class::cast)
          : pair(found.instance(), number, historyDays);
    });
  }

  /** Connects with the saved session: the common tail of reconnect, connect-with-session and the reconciler. */
  private Uni<ConnectOutcome.Resumed> resume(Instance i, String failurePrefix) {
    // the hot path (an instance the event stream reports connected) writes nothing and calls nobody
    if (i.desiredState() == DesiredState.RUNNING && mirror.isConnected(i.id(), i.jid())) {
      return Uni.createFrom().item(new ConnectOutcome.Resumed(true));
    }
    Uni<Void> desired = i.desiredState() == DesiredState.RUNNING ? Uni.createFrom().voidItem()
        : instances.updateDesired(i.id(), DesiredState.RUNNING);
    return ownership.claim(i.id()).chain(epoch -> epoch < 0 ? Uni.createFrom().failure(DomainException.failed(failurePrefix + OWNED_ELSEWHERE))
        : desired.chain(() -> sidecar.connect(i.id(), epoch, i.jid(), proxySpec(i), i.settings())))
        .map(ConnectOutcome.Resumed::new)
        .onFailure(SidecarCallException.class).transform(e -> {
          SidecarCallException call = (SidecarCallException) e;
          if (call.kind() == SidecarCallException.Kind.FAILED_PRECONDITION) {
            return DomainException.noSavedSession();
          }
          return DomainException.failed(failurePrefix + call.reason());
        });
  }

  private Uni<ConnectOutcome> pair(Instance i, String number, int historyDays) {
    return ownership.claim(i.id()).chain(epoch -> epoch < 0 ? Uni.createFrom().failure(DomainException.failed("Failed to connect: " + OWNED_ELSEWHERE))
        : instances.updateDesired(i.id(), DesiredState.RUNNING)
            .chain(() -> sidecar.pair(i.id(), epoch, number, historyDays, proxySpec(i), i.settings(), config.connect().codeTimeout())))
        .chain(this::pairResponse)
        .onFailure(SidecarCallException.class).transform(e -> {
          SidecarCallException call = (SidecarCallException) e;
          return switch (call.kind()) {
            case DEADLINE_EXCEEDED -> DomainException.failed("Failed to connect: timed out waiting for QR code");
            case INVALID_ARGUMENT -> number != null ? DomainException.invalidInput("Invalid phone number") : DomainException.failed("Failed to connect: " + call.reason());
            default -> DomainException.failed("Failed to connect: " + call.reason());
          };
        });
  }

  private Uni<ConnectOutcome> pairResponse(PairStart start) {
    if (start.failureReason() != null) {
      return Uni.createFrom().failure(DomainException.failed("Failed to connect: " + start.failureReason()));
    }
    if (start.pairingCode() != null) {
      return Uni.createFrom().item(new ConnectOutcome.PairingCode(start.pairingCode()));
    }
    // PNG rendering is CPU work: keep it off the event loop
    return Uni.createFrom().item(() -> QrPng.dataUrl(start.qrCode())).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .map(png -> new ConnectOutcome.QrCode(start.qrCode(), png));
  }

  public Uni<Void> logout(Principal principal, String name) {
    return instanceService.resolve(principal, name)
        .call(i -> instances.updateDesired(i.id(), DesiredState.STOPPED))
        .call(i -> sidecar.logout(i.id(), ownership.epoch(i.id()), i.jid()).onFailure(SidecarCallException.class).transform(e -> {
          Log.warnf("Logout of instance %s failed: %s", i.id(), e.getMessage());
          return DomainException.failed("Failed to logout instance");
        }))
        .call(i -> recorder.local(i.id(), LifecycleEvent.LOGGED_OUT, "user_initiated"))
        .replaceWithVoid();
  }

  public Uni<Void> delete(Principal principal, String name) {
    if (!principal.isAccount()) {
      return Uni.createFrom().failure(DomainException.invalidToken());
    }
    return instanceService.resolve(principal, name)
        .call(this::stopOnSidecar)
        .call(i -> instances.delete(i.id()).onFailure(e -> !DatabaseOutage.isDown(e))
            .transform(e -> DomainException.failed("Failed to delete instance: database error")))
        .invoke(i -> {
          auth.invalidate(TokenHasher.hash(cipher.decrypt(i.tokenEnc())));
          bus.publish(EventNotifications.DELETED_ADDRESS, new JsonObject().put("instanceId", i.id().toString()).put("accountId", i.accountId().toString())
              .put("name", i.name()));
        })
        .replaceWithVoid();
  }

  /** Logs out a paired instance and stops a pairing in progress; a never-used instance needs no sidecar call. */
  private Uni<Void> stopOnSidecar(Instance i) {
    Uni<Void> call;
    if (i.jid() != null) {
      call = sidecar.logout(i.id(), ownership.epoch(i.id()), i.jid()).replaceWithVoid();
    } else if (i.state() == InstanceState.CONNECTING) {
      call = sidecar.disconnect(i.id(), ownership.epoch(i.id()));
    } else {
      return Uni.createFrom().voidItem();
    }
    return call.onFailure(SidecarCallException.class).recoverWithUni(e -> {
      SidecarCallException c = (SidecarCallException) e;
      if (c.kind() == SidecarCallException.Kind.NOT_FOUND) {
        return Uni.createFrom().voidItem();
      }
      return Uni.createFrom().failure(DomainException.failed("Failed to delete instance: " + c.reason()));
    });
  }

  public ProxySpec proxySpec(Instance i) {
    Instance.Proxy p = i.proxy();
    if (!p.enabled()) {
      return null;
    }
    return new ProxySpec(p.protocol(), p.host(), Integer.parseInt(p.port()), p.username(), cipher.decrypt(p.passwordEnc()));
  }

  private static int parseHistory(String history) {
    if (history == null) {
      return 0;
    }
    try {
      int days = Integer.parseInt(history.trim());
      if (days >= 1 && days <= 365) {
        return days;
      }
    } catch (NumberFormatException e) {
      // falls through to the 400
    }
    throw DomainException.invalidInput("Invalid history value");
  }

}
