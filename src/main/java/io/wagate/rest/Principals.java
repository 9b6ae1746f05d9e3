package io.wagate.rest;

import io.vertx.ext.web.RoutingContext;
import io.wagate.Principal;
import io.wagate.service.DomainException;

/** The caller resolved by {@link GatewayRouter}. */
final class Principals {
  private Principals() {
  }

  static Principal require(RoutingContext rc) {
    Principal p = rc.get(GatewayRouter.PRINCIPAL);
    if (p == null) {
      throw DomainException.invalidToken();
    }
    return p;
  }
}
