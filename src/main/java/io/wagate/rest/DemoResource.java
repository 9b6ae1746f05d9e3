package io.wagate.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.DemoPhoneService;
import io.wagate.service.DomainException;

/**
 * The console's demo-mode routes (docs/CONSOLE.md). Without {@code wagate.console.emulator-url} (everywhere but
 * {@code make demo}) they answer 404 {@code Not found}, as an unknown route does.
 */
@Path(DemoResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class DemoResource {
  static final String PATH = "/api/console/demo";

  /** The scan request: the QR string the console shows, and optionally the phone number that scans it. */
  public record Scan(String qr, String phone) {
  }

  private final DemoPhoneService demo;

  public DemoResource(DemoPhoneService demo) {
    this.demo = demo;
  }

  @GET
  @Operation(hidden = true) // demo only: not part of the contract
  public ConsoleBodies.DemoStatus status(RoutingContext rc) {
    Principals.require(rc);
    return ConsoleBodies.DemoStatus.ON;
  }

  /** The emulator's virtual contacts, listed so that a newcomer sees whom a demo instance can talk to. */
  @GET
  @Operation(hidden = true) // demo only: not part of the contract
  @Path("/contacts")
  public Uni<ConsoleBodies.Contacts> contacts(RoutingContext rc) {
    Principals.require(rc);
    return demo.contacts().map(ConsoleBodies.Contacts::of);
  }

  @POST
  @Operation(hidden = true) // demo only: not part of the contract
  @Path("/scan/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<ConsoleBodies.Scanned> scan(RoutingContext rc, @PathParam("instance") String name, Scan body) {
    return body == null ? Uni.createFrom().failure(DomainException.invalidBody())
        : demo.scan(Principals.require(rc), name, body.qr(), body.phone()).map(ConsoleBodies.Scanned::of);
  }
}
