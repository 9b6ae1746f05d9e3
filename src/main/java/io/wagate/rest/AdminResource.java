package io.wagate.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.wagate.service.AccountService;
import io.wagate.service.command.AccountRequest;

/** Accounts (extension): guarded by the configured admin token ({@link AuthFilter}); without one the routes do not exist (404). */
@Path("/api/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
  private final AccountService accounts;

  public AdminResource(AccountService accounts) {
    this.accounts = accounts;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> create(AccountRequest body) {
    return accounts.create(body).map(a -> Response.status(201).entity(AccountBodies.Created.of(a)).build());
  }

  @GET
  public Uni<AccountBodies.Accounts> list() {
    return accounts.list().map(AccountBodies.Accounts::of);
  }
}
