package io.wagate.client;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Timeout;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.wagate.config.WagateConfig;

/**
 * Webhook POSTs through the one Vert.x {@link WebClient} of the gateway (keep-alive pool per target, no redirects,
 * certificates verified). Only a per-attempt {@code @Timeout} guards the call: retries, backoff and the "circuit"
 * live in the durable outbox per webhook (io.wagate.events.WebhookDispatcher), because an in-memory retry or a shared
 * breaker would be lost on restart and would let one broken receiver hold back the others.
 */
@ApplicationScoped
public class WebhookClient {
  /** The target resolves to an address the SSRF policy refuses; retrying cannot help. */
  public static class TargetRefusedException extends RuntimeException {
    public TargetRefusedException(String message) {
      super(message, null, false, false);
    }
  }

  private final WebClient client;
  private final TargetResolver resolver;
  private final long timeoutMillis;

  public WebhookClient(Vertx vertx, TargetResolver resolver, WagateConfig config) {
    this.resolver = resolver;
    this.timeoutMillis = config.webhooks().timeout().toMillis();
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setKeepAlive(true).setMaxPoolSize(32)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis)).setUserAgent("wagate-webhooks").setTryUseCompression(false));
  }

  /** POSTs {@code body} to {@code url}; yields the HTTP status, fails on network errors, timeouts and refused targets. */
  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  public Uni<Integer> post(String url, Map<String, String> headers, Buffer body) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom().failure(new TargetRefusedException("invalid URL"));
    }
    return request(uri).chain(request -> {
      headers.forEach(request::putHeader);
      return request.timeout(timeoutMillis).sendBuffer(body);
    }).map(response -> response.statusCode());
  }

  private Uni<HttpRequest<Buffer>> request(URI uri) {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    String host = uri.getHost();
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return resolver.resolve(host, port).map(server -> server == null ? client.request(HttpMethod.POST, port, host, path).ssl(https)
        : client.request(HttpMethod.POST, server, port, host, path).ssl(https));
  }
}
