package io.wagate.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.wagate.service.DemoPhoneService;

/**
 * Outside demo mode the console's demo routes do not exist: 404 {@code Not found} before the token is even checked
 * ({@link AuthFilter} runs later), so a probe learns nothing about them. It runs before route matching because a
 * wrong method would otherwise answer 405 with an {@code Allow} header and so reveal the route.
 */
public class DemoGate {
  private final DemoPhoneService demo;

  public DemoGate(DemoPhoneService demo) {
    this.demo = demo;
  }

  @ServerRequestFilter(preMatching = true)
  public Response hideOutsideDemo(ContainerRequestContext request) {
    if (demo.enabled()) {
      return null;
    }
    String raw = request.getUriInfo().getPath();
    String path = raw.startsWith("/") ? raw : "/" + raw;
    boolean demoRoute = path.equals(DemoResource.PATH) || path.startsWith(DemoResource.PATH + "/");
    return demoRoute ? ErrorBody.response(404, "Not found") : null;
  }
}
