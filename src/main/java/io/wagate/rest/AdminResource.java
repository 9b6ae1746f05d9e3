package io.wagate.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.wagate.service.AccountService;
import io.wagate.service.command.AccountRequest;

/** Accounts (extension): guarded by the configured admin token ({@link AuthFilter}); without one the routes do not exist (404). */
@Path("/api/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "adminToken")
public class AdminResource {
  private final AccountService accounts;

  public AdminResource(AccountService accounts) {
    this.accounts = accounts;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "createAccount", summary = "Create an account (admin token in the token header; 404 when no admin token is configured)")
  @RequestBody(required = true, content = @Content(schema = @Schema(implementation = AccountRequest.class),
      example = "{\"name\":\"acme\",\"instanceQuota\":10,\"rateLimitPerMinute\":100}"))
  @APIResponse(responseCode = "201", description = "Account created; the token is shown only here", content = @Content(
      schema = @Schema(implementation = AccountBodies.Created.class), example = "{\"success\":true,\"message\":\"Account created\",\"account\":"
          + "{\"id\":\"0b6f7c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e\",\"name\":\"acme\",\"token\":\"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d\","
          + "\"instanceQuota\":10,\"rateLimitPerMinute\":100}}"))
  @APIResponse(responseCode = "400", description = "Invalid body", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "body", value = ApiDoc.ERR + ApiDoc.INVALID_BODY + ApiDoc.END),
      @ExampleObject(name = "name", value = ApiDoc.ERR + AccountService.NAME_REQUIRED + ApiDoc.END)}))
  @APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
  @APIResponse(responseCode = "404", ref = ApiDoc.ADMIN_DISABLED)
  @APIResponse(responseCode = "409", description = "Duplicate name", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + AccountService.NAME_TAKEN + ApiDoc.END))
  @APIResponse(responseCode = "413", ref = ApiDoc.TOO_LARGE)
  @APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED)
  @APIResponse(responseCode = "429", ref = ApiDoc.RATE_LIMITED)
  @APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
  public Uni<Response> create(AccountRequest body) {
    return accounts.create(body).map(a -> Response.status(201).entity(AccountBodies.Created.of(a)).build());
  }

  @GET
  @Operation(operationId = "listAccounts", summary = "List accounts (without tokens)")
  @APIResponse(responseCode = "200", description = "Accounts", content = @Content(schema = @Schema(implementation = AccountBodies.Accounts.class),
      example = "{\"success\":true,\"message\":\"1 Account found\",\"accounts\":[{\"id\":\"0b6f7c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e\","
          + "\"name\":\"acme\",\"instanceQuota\":10,\"rateLimitPerMinute\":100}]}"))
  @APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
  @APIResponse(responseCode = "404", ref = ApiDoc.ADMIN_DISABLED)
  @APIResponse(responseCode = "429", ref = ApiDoc.RATE_LIMITED)
  @APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
  public Uni<AccountBodies.Accounts> list() {
    return accounts.list().map(AccountBodies.Accounts::of);
  }
}
