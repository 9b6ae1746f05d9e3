package io.wagate.rest;

import io.vertx.ext.web.RoutingContext;
import io.wagate.security.Principal;

/** The caller resolved by {@link GatewayRouter}. */
final class Principals {
  private Principals() {
  }

  static Principal require(RoutingContext rc) {
    Principal p = rc.get(GatewayRouter.PRINCIPAL);
    if (p == null) {
      throw ApiException.invalidToken();
    }
    return p;
  }
}
