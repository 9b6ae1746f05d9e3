package io.wagate.client;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Puts a deadline on every sidecar call, so a hung sidecar (paused, overloaded) never holds a request forever even if
 * a fault-tolerance timeout is missing. StreamEvents is the exception: it is meant to stay open.
 */
@ApplicationScoped
@GlobalInterceptor
public class SidecarDeadlineInterceptor implements ClientInterceptor {
  static final long UNARY_DEADLINE_MS = 20_000;
  static final long PAIR_DEADLINE_MS = 120_000;
  /** The sidecar's upload (up to 60 s) and then its send (up to 60 s for the ack). */
  static final long MEDIA_DEADLINE_MS = 130_000;

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    String name = method.getBareMethodName();
    if ("StreamEvents".equals(name) || options.getDeadline() != null) {
      return next.newCall(method, options);
    }
    long ms = switch (name) {
      case "Pair" -> PAIR_DEADLINE_MS;
      case "SendMedia" -> MEDIA_DEADLINE_MS;
      default -> UNARY_DEADLINE_MS;
    };
    return next.newCall(method, options.withDeadlineAfter(ms, TimeUnit.MILLISECONDS));
  }
}
