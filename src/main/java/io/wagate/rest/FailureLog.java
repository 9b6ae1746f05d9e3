package io.wagate.rest;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.vertx.core.VertxException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Logs a request that failed outside the REST layer (a WebSocket upgrade the client abandoned, a handler that threw)
 * with its method and path only. Quarkus' own error handler logs the URI, query string included, and a token may
 * travel there ({@code /ws?token=...}); its logger is off in application.properties and this one stands in for it.
 * The answer itself is left to the handlers after this one.
 */
@Singleton
public class FailureLog {
  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).failureHandler(FailureLog::log);
  }

  static void log(RoutingContext rc) {
    Throwable failure = rc.failure();
    if (failure != null) {
      String where = rc.request().method() + " " + rc.request().path();
      if (failure instanceof VertxException && rc.request().connection() != null && rc.response().closed()) {
        Log.debugf("%s: the client went away (%s)", where, failure.getMessage());
      } else {
        Log.errorf(failure, "%s failed outside the REST layer", where);
      }
    }
    rc.next();
  }
}
