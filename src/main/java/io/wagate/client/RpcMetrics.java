package io.wagate.client;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * Sidecar call metrics: {@code wagate.sidecar.rpc{method}} (latency of every call) and
 * {@code wagate.sidecar.rpc.errors{method,status}} (gRPC status code names, so the tag set stays bounded).
 */
@ApplicationScoped
public class RpcMetrics {
  private final MeterRegistry registry;

  public RpcMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Times one call from subscription to its outcome; a cancelled call (the caller gave up) counts as CANCELLED. */
  public <T> Uni<T> timed(String method, Supplier<Uni<T>> call) {
    return Uni.createFrom().deferred(() -> {
      Timer.Sample sample = Timer.start(registry);
      return call.get().onTermination().invoke((item, failure, cancelled) -> {
        sample.stop(registry.timer("wagate.sidecar.rpc", "method", method));
        if (failure != null || cancelled) {
          String status = cancelled ? "CANCELLED" : statusOf(failure);
          registry.counter("wagate.sidecar.rpc.errors", "method", method, "status", status).increment();
        }
      });
    });
  }

  private static String statusOf(Throwable failure) {
    if (failure instanceof SidecarUnavailableException) {
      return "UNAVAILABLE";
    }
    if (failure instanceof SidecarCallException call) {
      return call.kind().name();
    }
    return Status.fromThrowable(failure).getCode().name();
  }
}
