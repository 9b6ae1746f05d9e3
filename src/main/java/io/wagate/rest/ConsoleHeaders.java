package io.wagate.rest;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The web console's static files (META-INF/resources/console) get a strict Content-Security-Policy: scripts and
 * styles only from this origin (no inline script), API and WebSocket calls only to this origin, no framing. The
 * WebSocket origin is named explicitly because {@code 'self'} did not cover ws: in CSP level 2 browsers.
 */
@ApplicationScoped
public class ConsoleHeaders {
  static final String PATH = "/console";
  private static final int ORDER = -400;
  private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9.\\-]+(:[0-9]{1,5})?$|^\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?$");

  void install(@Observes Router router) {
    // after GatewayRouter's front door (order -500), before the static handler
    // Vert.x matches "/console" for "/console/" too: only the bare path is sent to the directory
    router.routeWithRegex("^" + PATH + "$").order(ORDER).handler(rc -> rc.redirect(PATH + "/"));
    router.route(PATH + "/*").order(ORDER).handler(ConsoleHeaders::secure);
  }

  static void secure(RoutingContext rc) {
    String host = rc.request().authority() == null ? null : rc.request().authority().toString();
    String sockets = host != null && HOST.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
    rc.response().putHeader("Content-Security-Policy", policy(sockets))
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    rc.next();
  }

  static String policy(String sockets) {
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'" + sockets
        + "; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
  }
}
