package io.wagate.service;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.wagate.InstanceState;
import io.wagate.LifecycleEvent;
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
  static final List<String> STATES = Arrays.stream(InstanceState.values()).map(InstanceState::wire).toList();

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
  void recorded(InstanceState from, InstanceState to, LifecycleEvent kind) {
    String cause = kind == LifecycleEvent.UNKNOWN ? "other" : kind.wire();
    registry.counter("wagate.instance.transitions", "from", from.wire(), "to", to.wire(), "cause", cause).increment();
    switch (kind) {
      case QR_READY -> registry.counter("wagate.pairing.codes.issued", "kind", "qr").increment();
      case PAIR_CODE_READY -> registry.counter("wagate.pairing.codes.issued", "kind", "pairing_code").increment();
      case PAIR_SUCCESS -> registry.counter("wagate.pairing.results", "result", "success", "cause", cause).increment();
      case PAIR_ERROR, QR_TIMEOUT -> registry.counter("wagate.pairing.results", "result", "failure", "cause", cause).increment();
      case CONNECTING, CONNECTED, DISCONNECTED, KEEPALIVE_TIMEOUT, KEEPALIVE_RESTORED, STREAM_REPLACED, CONNECT_FAILURE, TEMP_BANNED, CLIENT_OUTDATED,
          LOGGED_OUT, UNKNOWN -> {
        // not a pairing event
      }
    }
  }

  /** {@code trigger}: api or restore; {@code result}: initiated, already_connected, no_session or failed. */
  void reconnect(String trigger, String result) {
    registry.counter("wagate.reconnect.attempts", "trigger", trigger, "result", result).increment();
  }
}
