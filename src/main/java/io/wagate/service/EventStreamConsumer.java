package io.wagate.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.wagate.LifecycleEvent;
import io.wagate.MessageEvent;
import io.wagate.SessionEvent;
import io.wagate.client.SidecarClient;
import io.wagate.cluster.Ownership;
import io.wagate.config.WagateConfig;
import io.wagate.health.DatabaseOutage;
import io.wagate.repository.StreamMarkRepository;

/**
 * Follows the sidecar's StreamEvents feed for the life of the gateway.
 *
 * <p>Events are queued as they arrive and stored in batches, one transaction per batch, in stream order: while a batch
 * is being written the next one accumulates, so the batch size follows the load and a lone event is written at once.
 * The resume position (boot_id/seq) only advances once a batch is committed. If storing keeps failing (database down)
 * the subscription is dropped with the unstored rest, and the re-subscription from the last stored position makes the
 * sidecar replay it, so no state change is lost and none is recorded twice; a re-subscription only starts once the
 * queue is empty for the same reason.
 *
 * <p>The first message of every stream names the sidecar process. A new one means the sidecar restarted: the reconciler
 * runs at once. A stream that stays broken for {@code wagate.reconcile.sidecar-lost-after} means the sessions it held are
 * presumed gone: the reconciler records them as disconnected.
 */
@ApplicationScoped
public class EventStreamConsumer {
  // short: a restarted sidecar should be found within moments (its restore waits on this), and a refused connection on
  // loopback or its unix socket costs nothing; a 2 s cap found a sidecar restarted within 1 s only after 3.4 s
  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 200;
  private static final int MAX_BATCH = 500;

  private final SidecarClient sidecar;
  private final StateRecorder recorder;
  private final Reconciler reconciler;
  private final Vertx vertx;
  private final SessionMirror mirror;
  private final Duration lostAfter;
  private final DatabaseOutage database;
  private final StreamPosition position;
  private final Ownership ownership;
  private final SendsInFlight inFlight;
  private final StreamMarkRepository marks;

  private final Queue<SessionEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile String bootId;
  private volatile long lastSeq;
  private volatile String sidecarBoot;
  private volatile boolean stopped;
  /** Identifies the current subscription; items and failures of an older one are ignored. */
  private volatile int generation;
  private volatile boolean live;
  private volatile boolean lostTimerArmed;
  private volatile boolean lostCalled;
  private volatile boolean resyncPending;
  /** Draining waits while the stored mark of a fresh process's first boot is read. */
  private volatile boolean resuming;
  /** Events of this boot up to this seq were stored by an earlier gateway process: the replay skips them. */
  private volatile String skipBoot;
  private volatile long skipThrough;
  private volatile Cancellable subscription;
  private int failures;

  public EventStreamConsumer(SidecarClient sidecar, StateRecorder recorder, Reconciler reconciler, Vertx vertx, SessionMirror mirror,
      WagateConfig config, DatabaseOutage database, StreamPosition position, Ownership ownership, SendsInFlight inFlight, StreamMarkRepository marks) {
    this.marks = marks;
    this.ownership = ownership;
    this.inFlight = inFlight;
    this.database = database;
    this.position = position;
    this.mirror = mirror;
    this.sidecar = sidecar;
    this.recorder = recorder;
    this.reconciler = reconciler;
    this.vertx = vertx;
    this.lostAfter = config.reconcile().sidecarLostAfter();
  }

  void onStart(@Observes StartupEvent event) {
    subscribe();
  }

  void onStop(@Observes ShutdownEvent event) {
    // no cancel(): the gRPC channel shutdown ends the stream, and a cancelled subscriber would make Mutiny log that failure as dropped
    stopped = true;
  }

  /** The boot id of the last event stored, or null before the first one. */
  public String bootId() {
    return bootId;
  }

  private synchronized void subscribe() {
    if (stopped) {
      return;
    }
    if (draining.get() || !queue.isEmpty()) {
      // the position to resume from is not known until the queue is stored
      vertx.setTimer(50, id -> subscribe());
      return;
    }
    int gen = ++generation;
    sidecar.connectNow();
    subscription = sidecar.streamEvents(bootId, lastSeq).subscribe().with(e -> received(gen, e), t -> broken(gen, t), () -> broken(gen, null));
  }

  private void received(int gen, SessionEvent e) {
    if (gen != generation) {
      return;
    }
    if (e.isBoot()) {
      booted(e.bootId());
      return;
    }
    queue.add(e);
    drain();
  }

  private void booted(String boot) {
    synchronized (this) {
      failures = 0;
    }
    live = true;
    if (bootId == null) {
      resumeAfterMark(boot);
    }
    boolean lostRecorded = lostCalled;
    lostCalled = false;
    if (boot.equals(sidecarBoot) && lostRecorded) {
      // the same process is back after its sessions were recorded as lost: once its replay is stored, the reconciler
      // sets the record straight
      resyncPending = true;
      drain();
    } else if (!boot.equals(sidecarBoot)) {
      // the queue is empty here (see subscribe), so nothing the old process said can reach the mirror after this
      mirror.forgetAll();
      Log.infof(sidecarBoot == null ? "Sidecar %s is up; reconciling" : "Sidecar restarted (boot %s); reconciling", boot);
      sidecarBoot = boot;
      reconciler.trigger();
    }
  }

  /**
   * This process has stored nothing yet, so it subscribed without a position and the sidecar replays its whole buffer:
   * what an earlier gateway process stored of it (its mark, written with each batch) is skipped, or a gateway restart
   * would record those state changes a second time.
   */
  private void resumeAfterMark(String boot) {
    resuming = true;
    marks.storedThrough(boot).onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).indefinitely()
        .subscribe().with(seq -> {
          if (seq > 0) {
            skipBoot = boot;
            skipThrough = seq;
            bootId = boot;
            lastSeq = seq;
            position.stored(boot, seq);
            Log.infof("Resuming the stream of sidecar %s after event %d, stored before this process started", boot, seq);
          }
          resuming = false;
          drain();
        });
  }

  private boolean storedBefore(SessionEvent e) {
    return skipBoot != null && skipBoot.equals(e.bootId()) && e.seq() <= skipThrough;
  }

  private void drain() {
    if (resuming || !draining.compareAndSet(false, true)) {
      return;
    }
    List<SessionEvent> taken = new ArrayList<>();
    for (SessionEvent e = queue.poll(); e != null; e = taken.size() < MAX_BATCH ? queue.poll() : null) {
      taken.add(e);
    }
    List<SessionEvent> batch = taken.stream().filter(e -> !storedBefore(e)).toList();
    if (batch.size() < taken.size()) {
      // stored, perhaps not confirmed before that process ended: the sidecar may forget them now
      confirm(taken.stream().filter(this::storedBefore).toList());
    }
    if (batch.isEmpty() && !taken.isEmpty()) {
      draining.set(false);
      drain();
      return;
    }
    if (batch.isEmpty()) {
      draining.set(false);
      if (!queue.isEmpty()) {
        drain();
      } else if (resyncPending) {
        resyncPending = false;
        reconciler.resync();
      }
      return;
    }
    if (taken.stream().anyMatch(SessionEvent::replayTruncated)) {
      Log.warnf("Sidecar replay buffer was truncated; reconciling");
      mirror.forgetAll();
      reconciler.trigger();
    }
    long started = System.nanoTime();
    try {
      // a session this member lost may still talk before its disconnect lands: the new owner's record stands
      Set<UUID> sessions = batch.stream().filter(e -> e.instanceId() != null && !e.isMessaging()).map(SessionEvent::instanceId).collect(Collectors.toSet());
      Uni.createFrom().deferred(() -> ownership.recordable(sessions)).chain(mine -> {
        List<SessionEvent> owned = batch.stream().filter(e -> e.instanceId() == null || e.isMessaging() || mine.contains(e.instanceId())).toList();
        // receipts wait for the echoes of sends still in flight, so a status never precedes its message (SendsInFlight)
        return inFlight.settled(owned.stream().filter(e -> e.isMessaging() && MessageEvent.STATUS.equals(e.messaging().event())).map(SessionEvent::instanceId).toList())
            .chain(() -> recorder.applyAll(owned, batch.get(batch.size() - 1)));
      })
          .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(5)
          .subscribe().with(ids -> stored(batch, started), failure -> notStored(batch, failure));
    } catch (RuntimeException e) {
      // never leave the queue marked as draining: the stream could not re-subscribe again
      notStored(batch, e);
    }
  }

  private void stored(List<SessionEvent> batch, long started) {
    // how the recorder keeps up under a burst (a restore of thousands): batch sizes follow the load
    Log.debugf("Stored %d stream event(s) in %d ms, %d queued", batch.size(), (System.nanoTime() - started) / 1_000_000, queue.size());
    SessionEvent last = batch.get(batch.size() - 1);
    bootId = last.bootId();
    lastSeq = last.seq();
    position.stored(bootId, lastSeq);
    batch.forEach(mirror::apply);
    if (ownership.enabled() && batch.stream().anyMatch(e -> e.kind() == LifecycleEvent.DISCONNECTED && e.instanceId() != null && ownership.owns(e.instanceId()))) {
      // a fenced session does not reconnect by itself (the sidecar leaves that to the lease holder): restore it now
      reconciler.trigger();
    }
    confirm(batch);
    draining.set(false);
    drain();
  }

  /** After the commit: the sidecar may forget the inbound events of the batch (stored now, or already before). */
  private void confirm(List<SessionEvent> batch) {
    List<Long> inbox = batch.stream().filter(SessionEvent::isMessaging).map(e -> e.messaging().inboxId()).filter(id -> id > 0).toList();
    if (!inbox.isEmpty()) {
      sidecar.confirmEvents(inbox).subscribe().with(ok -> { }, failure -> Log.debugf("Inbound events not confirmed yet (%s); the sidecar publishes them"
          + " again at the next connect", failure.getMessage()));
    }
  }

  private void notStored(List<SessionEvent> batch, Throwable failure) {
    SessionEvent first = batch.get(0);
    if (!database.failed("recording sidecar events", failure)) {
      Log.warnf("%d event(s) from %s/%d on not stored yet, will be replayed: %s", batch.size() + queue.size(), first.bootId(), first.seq(),
          failure.getMessage());
    }
    // drop this subscription and what it queued: the re-subscription from the last stored position replays it
    generation++;
    Cancellable current = subscription;
    if (current != null) {
      current.cancel();
    }
    queue.clear();
    draining.set(false);
    broken(generation, failure);
  }

  private void broken(int gen, Throwable failure) {
    if (gen != generation) {
      return;
    }
    generation++;
    mirror.forgetAll();
    live = false;
    if (stopped) {
      return;
    }
    armLostTimer();
    long delay;
    synchronized (this) {
      delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failures, 10));
      failures++;
    }
    Log.debugf("Sidecar event stream ended (%s); re-subscribing in %d ms", failure == null ? "completed" : failure.getMessage(), delay);
    vertx.setTimer(delay, id -> subscribe());
  }

  /** Once per outage: if no stream is back after the grace time, the sessions of the lost process are recorded as gone. */
  private synchronized void armLostTimer() {
    if (lostTimerArmed || lostCalled) {
      return;
    }
    lostTimerArmed = true;
    String boot = sidecarBoot;
    vertx.setTimer(Math.max(1, lostAfter.toMillis()), id -> {
      synchronized (this) {
        lostTimerArmed = false;
      }
      // a stream back to the same process within the grace time lost nothing; a new process is handled on its boot
      if (!live && !stopped && java.util.Objects.equals(boot, sidecarBoot)) {
        Log.warnf("Sidecar event stream broken for %d ms; recording its sessions as disconnected", lostAfter.toMillis());
        lostCalled = true;
        reconciler.sidecarLost();
      } else if (!live && !stopped) {
        armLostTimer();
      }
    });
  }
}
