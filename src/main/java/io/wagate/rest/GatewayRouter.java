package io.wagate.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wagate.Principal;
import io.wagate.config.WagateConfig;
import io.wagate.health.DatabaseOutage;
import io.wagate.security.AuthService;
import io.wagate.security.RateLimiter;
import io.wagate.security.TokenHasher;

/**
 * Vert.x-level front door, ahead of Quarkus REST and WebSockets Next: resolves the token once, counts the request in
 * its rate-limit bucket, puts the X-RateLimit-* headers on every response, and writes the error envelope for
 * everything the router itself answers (unknown routes, 405, oversized bodies, failures outside REST).
 */
@ApplicationScoped
public class GatewayRouter {
  /** RoutingContext key of the resolved {@link Principal}; absent without a valid token. */
  public static final String PRINCIPAL = "wagate.principal";
  static final long MAX_BODY_BYTES = 1024 * 1024;
  /*
   * Below the HTTP decoder's own limits (application.properties): what the decoder refuses never reaches a router, so
   * Vert.x would answer it with an empty body; these limits answer in the envelope first.
   */
  static final int MAX_URI_CHARS = 8 * 1024;
  static final int MAX_HEADER_BYTES = 20 * 1024;
  static final int ORDER = -500;
  private static final int ADMIN_PER_MINUTE = 1000;

  private final AuthService auth;
  private final RateLimiter limiter;
  private final WagateConfig config;
  private final DatabaseOutage database;

  public GatewayRouter(AuthService auth, RateLimiter limiter, WagateConfig config, DatabaseOutage database) {
    this.database = database;
    this.auth = auth;
    this.limiter = limiter;
    this.config = config;
  }

  void install(@Observes Router router) {
    router.route().order(ORDER).handler(this::front);
    router.errorHandler(404, rc -> envelope(rc, 404, "Not found"));
    router.errorHandler(405, rc -> envelope(rc, 405, "Method not allowed"));
    router.errorHandler(413, rc -> envelope(rc, 413, "Request body too large"));
    router.errorHandler(415, rc -> envelope(rc, 415, "Unsupported media type"));
    router.errorHandler(400, rc -> envelope(rc, 400, "Invalid request body"));
    router.errorHandler(500, rc -> {
      if (rc.failure() != null && database.failed("request", rc.failure())) {
        envelope(rc, 503, DatabaseOutage.MESSAGE);
        return;
      }
      if (rc.failure() != null) {
        Log.errorf(rc.failure(), "Request failed outside the REST layer");
      }
      envelope(rc, 500, "Internal server error");
    });
  }

  /** Extracts the token from the {@code token} header, {@code Authorization: Bearer}, or {@code ?token=}. */
  public static String token(HttpServerRequest request) {
    String header = request.getHeader("token");
    if (header != null && !header.isBlank()) {
      return header.trim();
    }
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    String query = request.getParam("token");
    return query == null || query.isBlank() ? null : query.trim();
  }

  private void front(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    if (request.uri().length() > MAX_URI_CHARS) {
      envelope(rc, 414, "Request URI too long");
      return;
    }
    if (headerBytes(request) > MAX_HEADER_BYTES) {
      envelope(rc, 431, "Request header fields too large");
      return;
    }
    String path = request.path();
    if (path.startsWith("/q/")) {
      rc.next();
      return;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && parseLength(length) > MAX_BODY_BYTES) {
      envelope(rc, 413, "Request body too large");
      return;
    }
    String key = AuthService.lookupKey(token(request));
    if (auth.cachedByKey(key).isEmpty() && !isAdmin(request)) {
      // an address over its limit is refused before the token lookup, so a flood of made-up tokens never reaches the database
      RateLimiter.Decision byAddress = limiter.peek(addressBucket(request), config.rateLimit().defaultPerMinute());
      if (!byAddress.allowed()) {
        refuse(rc, byAddress);
        return;
      }
    }
    if (!request.isEnded()) {
      request.pause();
    }
    // A lookup shared by concurrent misses of one token completes on the event loop of whichever request started it:
    // the request must be resumed and routed on its own loop, never from another thread.
    Context context = Vertx.currentContext();
    Thread loop = Thread.currentThread();
    auth.resolveByKey(key).subscribe().with(
        principal -> onLoop(context, loop, () -> admit(rc, principal)),
        failure -> onLoop(context, loop, () -> {
          if (!database.failed("token lookup", failure)) {
            Log.warnf("Token lookup failed: %s", failure.getMessage());
          }
          request.resume();
          envelope(rc, 503, DatabaseOutage.MESSAGE);
        }));
  }

  static void onLoop(Context context, Thread loop, Runnable task) {
    if (context == null || Thread.currentThread() == loop) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  private void admit(RoutingContext rc, Optional<Principal> principal) {
    HttpServerRequest request = rc.request();
    boolean create = request.method() == HttpMethod.POST && "/api/instance/new".equals(request.path());
    RateLimiter.Decision decision;
    if (principal.isPresent()) {
      Principal p = principal.get();
      rc.put(PRINCIPAL, p);
      decision = create ? limiter.hit("create:" + p.tokenHash(), config.rateLimit().createPerMinute())
          : limiter.hit("global:" + p.tokenHash(), p.rateLimitPerMinute());
    } else if (isAdmin(request)) {
      // operators get their own bucket so that provisioning accounts never competes with anonymous traffic
      decision = limiter.hit("admin", ADMIN_PER_MINUTE);
    } else {
      decision = limiter.hit(addressBucket(request), config.rateLimit().defaultPerMinute());
    }
    request.resume();
    if (!decision.allowed()) {
      refuse(rc, decision);
      return;
    }
    rateHeaders(rc, decision);
    rc.next();
  }

  private static void rateHeaders(RoutingContext rc, RateLimiter.Decision decision) {
    rc.response().putHeader("X-RateLimit-Limit", Integer.toString(decision.limit()))
        .putHeader("X-RateLimit-Remaining", Integer.toString(decision.remaining()))
        .putHeader("X-RateLimit-Reset", Long.toString(decision.resetEpochSeconds()));
  }

  private static void refuse(RoutingContext rc, RateLimiter.Decision decision) {
    rateHeaders(rc, decision);
    rc.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
    envelope(rc, 429, "Rate limit exceeded. Try again later.");
  }

  private boolean isAdmin(HttpServerRequest request) {
    String configured = config.admin().token().filter(t -> !t.isBlank()).orElse(null);
    String given = request.path().startsWith("/api/admin/") ? token(request) : null;
    return configured != null && given != null
        && MessageDigest.isEqual(TokenHasher.hash(given).getBytes(StandardCharsets.US_ASCII), TokenHasher.hash(configured).getBytes(StandardCharsets.US_ASCII));
  }

  private static String addressBucket(HttpServerRequest request) {
    return "addr:" + (request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress());
  }

  private static int headerBytes(HttpServerRequest request) {
    int total = 0;
    for (var header : request.headers()) {
      total += header.getKey().length() + header.getValue().length() + 4;
    }
    return total;
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static void envelope(RoutingContext rc, int status, String message) {
    if (rc.response().ended()) {
      return;
    }
    if (rc.response().headWritten()) {
      rc.response().end();
      return;
    }
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ErrorBody.json(message));
  }
}
