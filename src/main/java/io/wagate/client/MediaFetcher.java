package io.wagate.client;

import java.net.URI;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;

/**
 * Downloads the media of a send by URL (docs/MESSAGES.md): http(s) only, at most 3 redirects each checked against the
 * webhooks' address policy ({@link TargetResolver}), 60 s in all, streamed on the event loop and given up, connection
 * reset, as soon as the body goes past the cap: never more than the cap is held.
 */
@ApplicationScoped
public class MediaFetcher {
  static final int MAX_REDIRECTS = 3;
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The download failed; the message is the reason the answer names. */
  public static class FetchFailed extends RuntimeException {
    public FetchFailed(String reason) {
      super(reason, null, false, false);
    }
  }

  /** The body is larger than the cap. */
  public static class TooLarge extends RuntimeException {
    public TooLarge() {
      super("media too large", null, false, false);
    }
  }

  /** The body, its {@code Content-Type} without parameters (null when absent) and the last segment of the final URL's path. */
  public record Fetched(byte[] bytes, String contentType, String fileName) {
  }

  private final HttpClient client;
  private final TargetResolver resolver;

  public MediaFetcher(Vertx vertx, TargetResolver resolver) {
    this.resolver = resolver;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT.toMillis()).setKeepAlive(false)
        .setTryUseCompression(false).setMaxRedirects(0));
  }

  public Uni<Fetched> fetch(String url, long maxBytes) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      return Uni.createFrom().failure(new FetchFailed("invalid URL"));
    }
    return get(uri, maxBytes, 0).ifNoItem().after(TIMEOUT).failWith(() -> new FetchFailed("timed out"));
  }

  private Uni<Fetched> get(URI uri, long maxBytes, int redirects) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      return Uni.createFrom().failure(new FetchFailed("only http and https URLs are fetched"));
    }
    boolean https = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost()).setPort(port).setSsl(https).setURI(path)
        .setFollowRedirects(false).setIdleTimeout(TIMEOUT.toMillis());
    return resolver.resolve(uri.getHost(), port)
        .onFailure(WebhookClient.TargetRefusedException.class).transform(e -> new FetchFailed("address not allowed"))
        .onFailure(IllegalStateException.class).transform(e -> new FetchFailed("unknown host"))
        .chain(server -> client.request(server == null ? options : options.setServer(server.getDelegate())))
        .chain(request -> request.send().chain(response -> read(uri, request, response, maxBytes, redirects))
            .onCancellation().invoke(request::reset))
        .onFailure(e -> !(e instanceof FetchFailed) && !(e instanceof TooLarge))
        .transform(e -> new FetchFailed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
  }

  private Uni<Fetched> read(URI uri, HttpClientRequest request, HttpClientResponse response, long maxBytes, int redirects) {
    response.pause();
    // a reset is how this client stops reading; it is not an error to log
    response.exceptionHandler(e -> { });
    int status = response.statusCode();
    String location = response.getHeader("Location");
    if (status >= 300 && status < 400 && location != null) {
      request.reset();
      if (redirects == MAX_REDIRECTS) {
        return Uni.createFrom().failure(new FetchFailed("too many redirects"));
      }
      return get(uri.resolve(location), maxBytes, redirects + 1);
    }
    if (status < 200 || status > 299) {
      request.reset();
      return Uni.createFrom().failure(new FetchFailed("HTTP " + status));
    }
    String length = response.getHeader("Content-Length");
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBytes) {
      request.reset();
      return Uni.createFrom().failure(new TooLarge());
    }
    return response.toMulti().collect().in(Buffer::buffer, (body, chunk) -> {
      if (body.length() + (long) chunk.length() > maxBytes) {
        throw new TooLarge();
      }
      body.appendBuffer(chunk);
    }).onFailure().invoke(e -> request.reset()).map(body -> new Fetched(body.getBytes(), contentType(response.getHeader("Content-Type")), fileName(uri)));
  }

  private static String contentType(String header) {
    if (header == null) {
      return null;
    }
    String type = header.split(";", 2)[0].trim().toLowerCase();
    return type.isEmpty() ? null : type;
  }

  private static String fileName(URI uri) {
    String path = uri.getPath();
    if (path == null) {
      return null;
    }
    String last = path.substring(path.lastIndexOf('/') + 1);
    return last.isEmpty() ? null : last;
  }
}
