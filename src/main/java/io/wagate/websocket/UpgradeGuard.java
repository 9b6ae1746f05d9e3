package io.wagate.websocket;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wagate.Principal;
import io.wagate.health.DatabaseOutage;
import io.wagate.repository.IntegrationRepository;
import io.wagate.rest.ErrorBody;
import io.wagate.rest.ErrorMappers;
import io.wagate.rest.GatewayRouter;
import io.wagate.service.DomainException;
import io.wagate.service.InstanceService;

/**
 * Checks a WebSocket upgrade while it is still plain HTTP, so that refusals are real HTTP answers in the error
 * envelope (401, 403, 404, and the 400 for a WebSocket that is not enabled) instead of a socket closed after the
 * handshake. Runs after {@link GatewayRouter}'s front door, which has already resolved the token and counted the
 * upgrade in the caller's global rate-limit bucket.
 */
@ApplicationScoped
public class UpgradeGuard {
  private static final int ORDER = -400;

  private final InstanceService instanceService;
  private final IntegrationRepository integrations;
  private final SocketQuota quota;
  private final DatabaseOutage database;

  public UpgradeGuard(InstanceService instanceService, IntegrationRepository integrations, SocketQuota quota,
      DatabaseOutage database) {
    this.database = database;
    this.instanceService = instanceService;
    this.integrations = integrations;
    this.quota = quota;
  }

  void install(@Observes Router router) {
    router.routeWithRegex("^/ws(/[^/]*)?/?$").order(ORDER).handler(this::check);
  }

  private void check(RoutingContext rc) {
    Principal principal = rc.get(GatewayRouter.PRINCIPAL);
    if (principal == null) {
      refuse(rc, DomainException.invalidToken());
      return;
    }
    if (quota.full(principal.tokenHash())) {
      refuse(rc, DomainException.rateLimited(SocketQuota.TOO_MANY));
      return;
    }
    String since = queryParam(rc.request().query(), "since");
    if (since != null && since(rc.request().query()) == null) {
      refuse(rc, DomainException.invalidInput("Invalid since value"));
      return;
    }
    String path = rc.request().path();
    String name = path.length() > "/ws/".length() ? path.substring("/ws/".length()).replaceAll("/$", "") : "";
    if (name.isEmpty()) {
      if (!principal.isAccount()) {
        refuse(rc, DomainException.invalidToken());
        return;
      }
      proceed(rc);
      return;
    }
    // keep the request's end buffered across the lookup: the upgrade needs a request that has not been read yet
    if (!rc.request().isEnded()) {
      rc.request().pause();
    }
    Context context = Vertx.currentContext();
    instanceService.resolve(principal, name)
        .chain(i -> integrations.websocketConfigs(java.util.List.of(i.id())).map(configs -> configs.get(i.id())).invoke(cfg -> {
          if (cfg == null || !Boolean.TRUE.equals(cfg.getBoolean("enabled"))) {
            throw DomainException.invalidInput("WebSocket is not enabled for this instance. Configure it first using POST /api/events/websocket/" + i.name());
          }
        }))
        .emitOn(task -> context.runOnContext(v -> task.run()))
        .subscribe().with(ok -> proceed(rc), failure -> {
          if (!(failure instanceof DomainException) && !database.failed("WebSocket upgrade", failure)) {
            Log.warnf("WebSocket upgrade check failed: %s", failure.getMessage());
          }
          rc.request().resume();
          refuse(rc, failure instanceof DomainException api ? api : DomainException.unavailable("database"));
        });
  }

  /** A plain GET that passed every check would otherwise fall through to the router's 404: say what is missing. */
  private static void proceed(RoutingContext rc) {
    if (!"websocket".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.UPGRADE))) {
      rc.request().resume();
      rc.response().putHeader(HttpHeaders.UPGRADE, "websocket").putHeader(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
      refuse(rc, 426, "WebSocket upgrade required");
      return;
    }
    rc.next();
  }

  private static void refuse(RoutingContext rc, DomainException e) {
    refuse(rc, ErrorMappers.status(e.kind()), e.getMessage());
  }

  private static void refuse(RoutingContext rc, int status, String message) {
    if (rc.response().ended()) {
      return;
    }
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ErrorBody.json(message));
  }

  /** {@code ?since=<id>}: a non-negative event id, or null when absent or malformed. */
  static Long since(String query) {
    String value = queryParam(query, "since");
    if (value == null) {
      return null;
    }
    try {
      long id = Long.parseLong(value.trim());
      return id < 0 ? null : id;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String queryParam(String query, String name) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
