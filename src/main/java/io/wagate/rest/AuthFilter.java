package io.wagate.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.vertx.ext.web.RoutingContext;
import io.wagate.config.WagateConfig;
import io.wagate.security.TokenHasher;
import io.wagate.service.DomainException;

/**
 * Refuses a request without a valid token once its route is matched but before its body is read: a bad token with a
 * malformed body is 401 {@code Invalid token}, not 400 (docs/API.md, authentication: order of checks).
 */
public class AuthFilter {
  private final WagateConfig config;

  public AuthFilter(WagateConfig config) {
    this.config = config;
  }

  @ServerRequestFilter
  public Response authenticate(RoutingContext rc, SimpleResourceInfo resource) {
    if (resource.getResourceClass() == AdminResource.class) {
      return admin(rc);
    }
    return rc.get(GatewayRouter.PRINCIPAL) == null ? ErrorBody.response(401, DomainException.invalidToken().getMessage()) : null;
  }

  private Response admin(RoutingContext rc) {
    String configured = config.admin().token().filter(t -> !t.isBlank()).orElse(null);
    if (configured == null) {
      return ErrorBody.response(404, "Not found");
    }
    String given = GatewayRouter.token(rc.request());
    // compare fixed-length hashes in constant time rather than the secrets themselves
    boolean ok = given != null && MessageDigest.isEqual(TokenHasher.hash(given).getBytes(StandardCharsets.US_ASCII),
        TokenHasher.hash(configured).getBytes(StandardCharsets.US_ASCII));
    return ok ? null : ErrorBody.response(401, DomainException.invalidToken().getMessage());
  }
}
