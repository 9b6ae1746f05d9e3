package io.wagate.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.config.WagateConfig;
import io.wagate.rest.dto.AccountRequest;
import io.wagate.security.TokenHasher;
import io.wagate.service.AccountService;

/** Accounts (extension): guarded by the configured admin token; without one the routes do not exist (404). */
@Path("/api/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
  private final AccountService accounts;
  private final WagateConfig config;

  public AdminResource(AccountService accounts, WagateConfig config) {
    this.accounts = accounts;
    this.config = config;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> create(RoutingContext rc, AccountRequest body) {
    requireAdmin(rc);
    return accounts.create(body).map(b -> Response.status(201).entity(b).build());
  }

  @GET
  public Uni<Map<String, Object>> list(RoutingContext rc) {
    requireAdmin(rc);
    return accounts.list();
  }

  private void requireAdmin(RoutingContext rc) {
    String configured = config.admin().token().filter(t -> !t.isBlank()).orElse(null);
    if (configured == null) {
      throw new ApiException(404, "Not found");
    }
    String given = GatewayRouter.token(rc.request());
    // compare fixed-length hashes in constant time rather than the secrets themselves
    if (given == null || !MessageDigest.isEqual(TokenHasher.hash(given).getBytes(StandardCharsets.US_ASCII),
        TokenHasher.hash(configured).getBytes(StandardCharsets.US_ASCII))) {
      throw ApiException.invalidToken();
    }
  }
}
