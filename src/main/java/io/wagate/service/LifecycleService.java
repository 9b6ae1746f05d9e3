package io.wagate.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.wagate.Instance;
import io.wagate.PairStart;
import io.wagate.ProxySpec;
import io.wagate.client.SidecarCallException;
import io.wagate.client.SidecarUnavailableException;
import io.wagate.client.SidecarClient;
import io.wagate.config.WagateConfig;
import io.wagate.health.DatabaseOutage;
import io.wagate.repository.InstanceRepository;
import io.wagate.rest.ApiException;
import io.wagate.security.AuthService;
import io.wagate.security.Principal;
import io.wagate.security.SecretCipher;
import io.wagate.security.TokenHasher;

/** connect, reconnect, logout and delete: desired state is written here, observed state arrives as events. */
@ApplicationScoped
public class LifecycleService {
  /** Event-bus address told about deleted instances (JSON: instanceId, accountId, name), e.g. to close WebSockets. */
  public static final String DELETED_ADDRESS = "wagate.instance-deleted";
  public static final String NO_SESSION = "Instance has no saved session \u2014 call /connect first";
  private static final Pattern PHONE = Pattern.compile("^[0-9]{8,15}$");

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

  @SuppressWarnings("java:S107") // one collaborator per concern; a parameter object would only hide them
  public LifecycleService(InstanceService instanceService, InstanceRepository instances, SidecarClient sidecar,
      StateRecorder recorder, SecretCipher cipher, AuthService auth, EventBus bus, WagateConfig config,
      LifecycleMetrics metrics, SessionMirror mirror) {
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

  public Uni<Map<String, Object>> reconnect(Principal principal, String name) {
    return instanceService.resolveWithSession(principal, name).chain(found -> {
      Instance i = found.instance();
      if (!found.hasSession()) {
        metrics.reconnect("api", "no_session");
        return Uni.createFrom().failure(ApiException.badRequest(NO_SESSION));
      }
      // The seed table (docs/API.md, section 2.3) lists an unreachable sidecar under 500, so RyzeAPI clients see the documented code.
      return resume(i, "Failed to reconnect: ")
          .invoke(body -> metrics.reconnect("api", "connected".equals(body.get("status")) ? "already_connected" : "initiated"))
          .onFailure().invoke(e -> metrics.reconnect("api", e instanceof ApiException api && api.status() == 400 ? "no_session" : "failed"))
          .onFailure(LifecycleService::sidecarUnreachable).transform(e -> new ApiException(500, "Failed to reconnect: sidecar unavailable"));
    });
  }

  public Uni<Map<String, Object>> connect(Principal principal, String name, String number, String history) {
    return instanceService.resolveWithSession(principal, name).chain(found -> {
      if (number != null && !PHONE.matcher(number).matches()) {
        return Uni.createFrom().failure(ApiException.badRequest("Invalid phone number"));
      }
      int historyDays = parseHistory(history);
      return found.hasSession() ? resume(found.instance(), "Failed to connect: ") : pair(found.instance(), number, historyDays);
    });
  }

  /** Connects with the saved session: the common tail of reconnect, connect-with-session and the reconciler. */
  private Uni<Map<String, Object>> resume(Instance i, String failurePrefix) {
    // the hot path (an instance the event stream reports connected) writes nothing and calls nobody
    if (Instance.DESIRED_RUNNING.equals(i.desiredState()) && mirror.isConnected(i.id(), i.jid())) {
      return Uni.createFrom().item(status("Instance already connected", "connected"));
    }
    Uni<Void> desired = Instance.DESIRED_RUNNING.equals(i.desiredState()) ? Uni.createFrom().voidItem() : instances.updateDesired(i.id(), Instance.DESIRED_RUNNING);
    return desired
        .chain(() -> sidecar.connect(i.id(), i.jid(), proxySpec(i), i.settings()))
        .map(alreadyConnected -> alreadyConnected ? status("Instance already connected", "connected") : status("Reconnect initiated", "connecting"))
        .onFailure(SidecarCallException.class).transform(e -> {
          SidecarCallException call = (SidecarCallException) e;
          if (call.kind() == SidecarCallException.Kind.FAILED_PRECONDITION) {
            return ApiException.badRequest(NO_SESSION);
          }
          return new ApiException(500, failurePrefix + call.reason());
        });
  }

  private Uni<Map<String, Object>> pair(Instance i, String number, int historyDays) {
    return instances.updateDesired(i.id(), Instance.DESIRED_RUNNING)
        .chain(() -> sidecar.pair(i.id(), number, historyDays, proxySpec(i), i.settings(), config.connect().codeTimeout()))
        .chain(this::pairResponse)
        .onFailure(SidecarCallException.class).transform(e -> {
          SidecarCallException call = (SidecarCallException) e;
          return switch (call.kind()) {
            case DEADLINE_EXCEEDED -> new ApiException(500, "Failed to connect: timed out waiting for QR code");
            case INVALID_ARGUMENT -> number != null ? ApiException.badRequest("Invalid phone number") : new ApiException(500, "Failed to connect: " + call.reason());
            default -> new ApiException(500, "Failed to connect: " + call.reason());
          };
        });
  }

  private Uni<Map<String, Object>> pairResponse(PairStart start) {
    if (start.failureReason() != null) {
      return Uni.createFrom().failure(new ApiException(500, "Failed to connect: " + start.failureReason()));
    }
    if (start.pairingCode() != null) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("success", true);
      body.put("message", "Pairing code generated");
      body.put("pairingCode", start.pairingCode());
      body.put("status", "pairing");
      return Uni.createFrom().item(body);
    }
    // PNG rendering is CPU work: keep it off the event loop
    return Uni.createFrom().item(() -> QrPng.dataUrl(start.qrCode())).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).map(png -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("success", true);
      body.put("message", "QR code generated");
      body.put("qrCode", start.qrCode());
      body.put("qrCodeBase64", png);
      body.put("status", "qr");
      return body;
    });
  }

  public Uni<Map<String, Object>> logout(Principal principal, String name) {
    return instanceService.resolve(principal, name)
        .call(i -> instances.updateDesired(i.id(), Instance.DESIRED_STOPPED))
        .call(i -> sidecar.logout(i.id(), i.jid()).onFailure(SidecarCallException.class).transform(e -> {
          Log.warnf("Logout of instance %s failed: %s", i.id(), e.getMessage());
          return new ApiException(500, "Failed to logout instance");
        }))
        .call(i -> recorder.local(i.id(), "logged_out", "user_initiated"))
        .map(i -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("success", true);
          body.put("message", "Instance logged out");
          body.put("instance", Map.of("status", "loggedout"));
          return body;
        });
  }

  public Uni<Map<String, Object>> delete(Principal principal, String name) {
    if (!principal.isAccount()) {
      return Uni.createFrom().failure(ApiException.invalidToken());
    }
    return instanceService.resolve(principal, name)
        .call(this::stopOnSidecar)
        .call(i -> instances.delete(i.id()).onFailure(e -> !DatabaseOutage.isDown(e))
            .transform(e -> new ApiException(500, "Failed to delete instance: database error")))
        .invoke(i -> {
          auth.invalidate(TokenHasher.hash(cipher.decrypt(i.tokenEnc())));
          bus.publish(DELETED_ADDRESS, new JsonObject().put("instanceId", i.id().toString()).put("accountId", i.accountId().toString())
              .put("name", i.name()));
        })
        .map(i -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("success", true);
          body.put("message", "Instance deleted");
          body.put("instance", Map.of("status", "deleted"));
          return body;
        });
  }

  /** Logs out a paired instance and stops a pairing in progress; a never-used instance needs no sidecar call. */
  private Uni<Void> stopOnSidecar(Instance i) {
    Uni<Void> call;
    if (i.jid() != null) {
      call = sidecar.logout(i.id(), i.jid()).replaceWithVoid();
    } else if ("connecting".equals(i.state())) {
      call = sidecar.disconnect(i.id());
    } else {
      return Uni.createFrom().voidItem();
    }
    return call.onFailure(SidecarCallException.class).recoverWithUni(e -> {
      SidecarCallException c = (SidecarCallException) e;
      if (c.kind() == SidecarCallException.Kind.NOT_FOUND) {
        return Uni.createFrom().voidItem();
      }
      return Uni.createFrom().failure(new ApiException(500, "Failed to delete instance: " + c.reason()));
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
    throw ApiException.badRequest("Invalid history value");
  }

  static Map<String, Object> status(String message, String status) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("message", message);
    body.put("status", status);
    return body;
  }

  /** The sidecar could not be reached: refused, hung past the timeout, or its breaker is open. */
  private static boolean sidecarUnreachable(Throwable t) {
    return t instanceof SidecarUnavailableException || t instanceof CircuitBreakerOpenException
        || t instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
  }
}
