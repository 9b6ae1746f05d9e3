package io.wagate.service;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.wagate.repository.InstanceRepository;

/**
 * Instance lifecycle metrics. No tag carries an instance name, id or token: tags hold only REST states, event kinds
 * and fixed result words, so the series count stays bounded however many instances there are.
 * <ul>
 * <li>{@code wagate.instances{state}}: instances by REST state, as stored (every replica reports the same numbers)</li>
 * <li>{@code wagate.instance.transitions{from,to,cause}}: recorded state changes, cause = the event kind</li>
 * <li>{@code wagate.reconnect.attempts{trigger,result}}: API reconnects and start-up/boot restores</li>
 * <li>{@code wagate.pairing.codes.issued{kind}} and {@code wagate.pairing.results{result,cause}}</li>
 * </ul>
 */
@ApplicationScoped
@Startup // the gauges exist (as 0) from the first scrape, not from the first refresh
public class LifecycleMetrics {
  static final List<String> STATES = List.of("disconnected", "connecting", "connected", "loggedout");
  private static final Set<String> KINDS = Set.of("connecting", "qr_ready", "pair_code_ready", "pair_success", "pair_error", "qr_timeout", "connected",
      "disconnected", "keepalive_timeout", "keepalive_restored", "stream_replaced", "connect_failure", "temp_banned", "client_outdated", "logged_out");

  private final MeterRegistry registry;
  private final InstanceRepository instances;
  private final Map<String, AtomicLong> byState = new ConcurrentHashMap<>();

  public LifecycleMetrics(MeterRegistry registry, InstanceRepository instances) {
    this.registry = registry;
    this.instances = instances;
    for (String state : STATES) {
      byState.put(state, registry.gauge("wagate.instances", Tags.of("state", state), new AtomicLong()));
    }
  }

  @Scheduled(every = "${wagate.metrics.refresh-interval}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    return instances.countByState().invoke(counts -> byState.forEach((state, gauge) -> gauge.set(counts.getOrDefault(state, 0L))))
        .onFailure().invoke(e -> Log.debugf("Instance gauges not refreshed: %s", e.getMessage())).onFailure().recoverWithNull().replaceWithVoid();
  }

  /** A recorded event: the transition, plus pairing counters for the pairing kinds. */
  void recorded(String from, String to, String kind) {
    String cause = KINDS.contains(kind) ? kind : "other";
    registry.counter("wagate.instance.transitions", "from", state(from), "to", state(to), "cause", cause).increment();
    switch (cause) {
      case "qr_ready" -> registry.counter("wagate.pairing.codes.issued", "kind", "qr").increment();
      case "pair_code_ready" -> registry.counter("wagate.pairing.codes.issued", "kind", "pairing_code").increment();
      case "pair_success" -> registry.counter("wagate.pairing.results", "result", "success", "cause", cause).increment();
      case "pair_error", "qr_timeout" -> registry.counter("wagate.pairing.results", "result", "failure", "cause", cause).increment();
      default -> {
        // not a pairing event
      }
    }
  }

  /** {@code trigger}: api or restore; {@code result}: initiated, already_connected, no_session or failed. */
  void reconnect(String trigger, String result) {
    registry.counter("wagate.reconnect.attempts", "trigger", trigger, "result", result).increment();
  }

  private static String state(String s) {
    return STATES.contains(s) ? s : "other";
  }
}
