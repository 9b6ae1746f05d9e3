package io.wagate.rest;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wagate.Principal;
import io.wagate.client.PeerClient;
import io.wagate.service.OwnerRouting;

/**
 * Any pod answers any instance: a command whose effect the instance's sidecar session applies (connect, reconnect,
 * logout, delete, settings, proxy, sends) goes to the member that holds the instance's lease, over HTTP, and the
 * owner's answer is relayed as it is. A Vert.x route right after the front door rather than code in each resource:
 * authentication and rate limiting have run (an unknown token never causes pod-to-pod traffic), the body is not read
 * yet, and the resources stay the single-gateway code they were. Installed only with the cluster on.
 *
 * <p>{@value #FORWARDED_BY} marks a forwarded request. It only stops a second hop (the receiving member acts itself,
 * as when nobody else owns the instance); it grants nothing, so a client sending it merely gets local handling.
 */
@ApplicationScoped
public class OwnerForwarding {
  public static final String FORWARDED_BY = "X-Wagate-Forwarded-By";
  static final String UNREACHABLE = "Service temporarily unavailable: owner gateway unreachable";
  private static final Pattern ROUTE = Pattern.compile("^/api/(instance/(?:connect|reconnect|logout|delete|settings|proxy)|message/(?:text|reaction|media)"
      + "|chat/markRead)/([^/]+)/?$");
  private static final Map<String, HttpMethod> METHODS = Map.of("instance/connect", HttpMethod.GET, "instance/logout", HttpMethod.DELETE,
      "instance/delete", HttpMethod.DELETE);
  // hop-by-hop, recomputed, or this member's own (the front door counted the request here and set its rate headers)
  private static final Set<String> REQUEST_SKIP = Set.of("host", "connection", "keep-alive", "transfer-encoding", "te", "upgrade", "expect",
      "content-length", FORWARDED_BY.toLowerCase());
  private static final Set<String> RESPONSE_SKIP = Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "x-ratelimit-limit",
      "x-ratelimit-remaining", "x-ratelimit-reset");

  private final OwnerRouting owners;
  private final PeerClient peers;
  // members whose failure was logged, so an owner that is down is logged once rather than per request
  private final Set<String> unreachable = ConcurrentHashMap.newKeySet();

  public OwnerForwarding(OwnerRouting owners, PeerClient peers) {
    this.owners = owners;
    this.peers = peers;
  }

  void install(@Observes Router router) {
    if (owners.enabled()) {
      router.route().order(GatewayRouter.ORDER + 1).handler(this::route);
    }
  }

  /** The instance name of a forwardable command, or null. */
  static String target(HttpMethod method, String path) {
    Matcher m = ROUTE.matcher(path);
    if (!m.matches() || method != METHODS.getOrDefault(m.group(1), HttpMethod.POST)) {
      return null;
    }
    return m.group(2);
  }

  private void route(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    Principal principal = rc.get(GatewayRouter.PRINCIPAL);
    String name = target(request.method(), request.path());
    if (name == null || principal == null || request.headers().contains(FORWARDED_BY)) {
      rc.next();
      return;
    }
    if (!request.isEnded()) {
      request.pause();
    }
    Context context = Vertx.currentContext();
    Thread loop = Thread.currentThread();
    // a failed lookup (database trouble) is left to the local route, which answers it as it answers any outage
    owners.elsewhere(principal, name).subscribe().with(
        owner -> GatewayRouter.onLoop(context, loop, () -> owner.ifPresentOrElse(address -> readThenForward(rc, address), () -> local(rc))),
        failure -> GatewayRouter.onLoop(context, loop, () -> local(rc)));
  }

  private static void local(RoutingContext rc) {
    rc.request().resume();
    rc.next();
  }

  private void readThenForward(RoutingContext rc, String address) {
    HttpServerRequest request = rc.request();
    Buffer body = Buffer.buffer();
    if (request.isEnded()) {
      forward(rc, address, body);
      return;
    }
    request.handler(chunk -> {
      if (body.length() + chunk.length() > GatewayRouter.MAX_BODY_BYTES) {
        GatewayRouter.envelope(rc, 413, "Request body too large");
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(t -> Log.debugf("Request to forward to %s broke: %s", address, t.getMessage()));
    request.endHandler(v -> {
      if (!rc.response().ended()) {
        forward(rc, address, body);
      }
    });
    request.resume();
  }

  private void forward(RoutingContext rc, String address, Buffer body) {
    HttpServerRequest request = rc.request();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    request.headers().forEach((k, v) -> {
      if (!REQUEST_SKIP.contains(k.toLowerCase())) {
        headers.add(k, v);
      }
    });
    headers.set(FORWARDED_BY, owners.memberId());
    Context context = Vertx.currentContext();
    Thread loop = Thread.currentThread();
    peers.send(address, request.method(), request.uri(), io.vertx.mutiny.core.MultiMap.newInstance(headers), io.vertx.mutiny.core.buffer.Buffer.newInstance(body))
        .subscribe().with(
            answer -> GatewayRouter.onLoop(context, loop, () -> {
              unreachable.remove(address);
              relay(rc.response(), answer.statusCode(), answer.headers().getDelegate(), answer.body() == null ? Buffer.buffer() : answer.body().getDelegate());
            }),
            failure -> GatewayRouter.onLoop(context, loop, () -> {
              // the path only, and no query in the failure's text either: a token may sit in the query string
              if (unreachable.add(address)) {
                Log.warnf("Owner gateway %s unreachable for %s %s: %s %s", address, request.method(), request.path(), failure.getClass().getSimpleName(),
                    String.valueOf(failure.getMessage()).replaceAll("\\?\\S*", "?..."));
              }
              GatewayRouter.envelope(rc, 503, UNREACHABLE);
            }));
  }

  private static void relay(HttpServerResponse out, int status, MultiMap headers, Buffer body) {
    if (out.ended()) {
      return;
    }
    out.setStatusCode(status);
    headers.forEach((k, v) -> {
      if (!RESPONSE_SKIP.contains(k.toLowerCase())) {
        out.headers().add(k, v);
      }
    });
    out.end(body);
  }
}
