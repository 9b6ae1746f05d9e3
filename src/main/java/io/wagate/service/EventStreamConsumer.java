package io.wagate.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.wagate.SessionEvent;
import io.wagate.client.SidecarClient;

/**
 * Follows the sidecar's StreamEvents feed for the life of the gateway. Each event is applied in order (state + event
 * row in one transaction) before the next one; on any break it re-subscribes with exponential backoff, passing the last
 * boot_id/seq so that the sidecar's replay buffer fills the gap. A new boot_id means the sidecar restarted: the
 * reconciler then restores what should be running.
 */
@ApplicationScoped
public class EventStreamConsumer {
  private static final long MIN_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 10_000;

  private final SidecarClient sidecar;
  private final StateRecorder recorder;
  private final Reconciler reconciler;
  private final Vertx vertx;
  private final SessionMirror mirror;

  private volatile String bootId;
  private volatile long lastSeq;
  private volatile boolean stopped;
  private int failures;

  public EventStreamConsumer(SidecarClient sidecar, StateRecorder recorder, Reconciler reconciler, Vertx vertx, SessionMirror mirror) {
    this.mirror = mirror;
    this.sidecar = sidecar;
    this.recorder = recorder;
    this.reconciler = reconciler;
    this.vertx = vertx;
  }

  void onStart(@Observes StartupEvent event) {
    subscribe();
  }

  void onStop(@Observes ShutdownEvent event) {
    // no cancel(): the gRPC channel shutdown ends the stream, and a cancelled subscriber would make Mutiny log that failure as dropped
    stopped = true;
  }

  /** The boot id of the last event seen, or null before the first one. */
  public String bootId() {
    return bootId;
  }

  private synchronized void subscribe() {
    if (stopped) {
      return;
    }
    sidecar.streamEvents(bootId, lastSeq)
        .onItem().transformToUniAndConcatenate(this::handle)
        .subscribe().with(ignored -> { }, this::broken, () -> broken(null));
  }

  private Uni<Void> handle(SessionEvent e) {
    synchronized (this) {
      failures = 0;
    }
    boolean newBoot = bootId != null && !bootId.equals(e.bootId());
    if (e.replayTruncated()) {
      Log.warnf("Sidecar replay buffer was truncated; reconciling");
    }
    if (newBoot || e.replayTruncated()) {
      mirror.forgetAll();
      Log.infof("Sidecar restarted (boot %s); reconciling", e.bootId());
      reconciler.trigger();
    }
    // the position advances only once the event is stored: if storing keeps failing (database down), the stream breaks
    // and the re-subscription from the last stored position makes the sidecar replay it, so no state change is lost
    return recorder.apply(e)
        .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(5)
        .onFailure().invoke(t -> Log.warnf("Event %s/%d for instance %s not stored yet, will be replayed: %s", e.bootId(), e.seq(), e.instanceId(),
            t.getMessage()))
        .invoke(() -> {
          bootId = e.bootId();
          lastSeq = e.seq();
          mirror.apply(e);
        })
        .replaceWithVoid();
  }

  private void broken(Throwable failure) {
    mirror.forgetAll();
    if (stopped) {
      return;
    }
    long delay;
    synchronized (this) {
      delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failures, 10));
      failures++;
    }
    Log.debugf("Sidecar event stream ended (%s); re-subscribing in %d ms", failure == null ? "completed" : failure.getMessage(), delay);
    vertx.setTimer(delay, id -> subscribe());
  }
}
