package io.wagate.service;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wagate.Instance;
import io.wagate.client.SidecarClient;
import io.wagate.config.WagateConfig;
import io.wagate.repository.InstanceRepository;
import io.wagate.repository.SessionRepository;

/**
 * Makes observed state follow desired state: every instance that should run, has a saved session and is not live in
 * the sidecar is reconnected, with bounded concurrency. Never-paired and logged-out instances have no session (or are
 * stopped) and are never touched. Repeated failures per instance back off exponentially, capped.
 */
@ApplicationScoped
public class Reconciler {
  private static final long BASE_BACKOFF_MS = 2_000;
  private static final long MAX_BACKOFF_MS = 300_000;

  private record Attempt(int count, long notBefore) {
  }

  private final InstanceRepository instances;
  private final SessionRepository sessions;
  private final SidecarClient sidecar;
  private final LifecycleService lifecycle;
  private final StateRecorder recorder;
  private final WagateConfig config;
  private final RestoreProgress progress;
  private final LifecycleMetrics metrics;
  private final Map<UUID, Attempt> attempts = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile String lastBootId;

  public Reconciler(InstanceRepository instances, SessionRepository sessions, SidecarClient sidecar, LifecycleService lifecycle, StateRecorder recorder,
      WagateConfig config, RestoreProgress progress, LifecycleMetrics metrics) {
    this.progress = progress;
    this.metrics = metrics;
    this.recorder = recorder;
    this.instances = instances;
    this.sessions = sessions;
    this.sidecar = sidecar;
    this.lifecycle = lifecycle;
    this.config = config;
  }

  @Scheduled(every = "${wagate.reconcile.interval}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> tick() {
    return reconcile();
  }

  /** Runs a pass now (a new sidecar boot was seen on the event stream), unless one is already running. */
  public void trigger() {
    reconcile().subscribe().with(v -> { }, t -> Log.debugf("Reconcile pass failed: %s", t.getMessage()));
  }

  Uni<Void> reconcile() {
    if (!running.compareAndSet(false, true)) {
      return Uni.createFrom().voidItem();
    }
    return sidecar.listSessions()
        .chain(snapshot -> {
          boolean newBoot = !snapshot.bootId().equals(lastBootId);
          lastBootId = snapshot.bootId();
          progress.seen(snapshot.bootId());
          if (newBoot) {
            // a fresh sidecar process forgives past failures
            attempts.clear();
          }
          return (newBoot ? markLost(snapshot) : Uni.createFrom().voidItem())
              .chain(instances::listDesiredRunning)
              .map(list -> pending(list, snapshot.live()))
              .invoke(list -> progress.planned(list.size()))
              .chain(list -> Multi.createFrom().iterable(list)
                  .onItem().transformToUni(i -> restore(i).invoke(progress::stepped)).merge(Math.max(1, config.reconcile().concurrency()))
                  .collect().asList())
              .invoke(() -> progress.finished(snapshot.bootId()));
        })
        .invoke(done -> {
          if (!done.isEmpty()) {
            Log.infof("Reconciler restored %d instance(s)", done.stream().filter(Boolean::booleanValue).count());
          }
        })
        .replaceWithVoid()
        .onFailure().recoverWithItem(t -> {
          Log.debugf("Reconcile pass skipped: %s", t.getMessage());
          return null;
        })
        .eventually(() -> running.set(false));
  }

  /**
   * Sessions that a previous sidecar process held are gone: instances that were pairing (no JID yet) or stopped but
   * still look connecting/connected are recorded as disconnected. Instances to restore get their own events.
   */
  private Uni<Void> markLost(SidecarClient.Sessions snapshot) {
    return instances.listLooksLive()
        .map(list -> list.stream()
            .filter(i -> !Boolean.TRUE.equals(snapshot.live().get(i.id())) && (!Instance.DESIRED_RUNNING.equals(i.desiredState()) || i.jid() == null))
            .toList())
        .chain(lost -> Multi.createFrom().iterable(lost)
            .onItem().transformToUni(i -> recorder.local(i.id(), "disconnected", "sidecar restarted")).merge(Math.max(1, config.reconcile().concurrency()))
            .collect().asList())
        .replaceWithVoid();
  }

  private List<Instance> pending(List<Instance> desiredRunning, Map<UUID, Boolean> live) {
    long now = System.currentTimeMillis();
    return desiredRunning.stream().filter(i -> {
      if (Boolean.TRUE.equals(live.get(i.id()))) {
        attempts.remove(i.id());
        return false;
      }
      Attempt a = attempts.get(i.id());
      return !"loggedout".equals(i.state()) && (a == null || a.notBefore() <= now);
    }).toList();
  }

  /**
   * The pass listed its instances a while ago; a terminal event (stream replaced, logged out, ...) or an API stop since
   * then must win, or the reconciler would reconnect a session that another client just took over.
   */
  private Uni<Boolean> restore(Instance listed) {
    return instances.findById(listed.id()).chain(i -> i == null || !Instance.DESIRED_RUNNING.equals(i.desiredState())
        ? Uni.createFrom().item(false) : restoreNow(i));
  }

  private Uni<Boolean> restoreNow(Instance i) {
    return sessions.hasSession(i.jid()).chain(has -> {
      if (!has) {
        metrics.reconnect("restore", "no_session");
        return Uni.createFrom().item(false);
      }
      Attempt previous = attempts.get(i.id());
      int count = previous == null ? 0 : previous.count() + 1;
      attempts.put(i.id(), new Attempt(count, System.currentTimeMillis() + Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(count, 16))));
      return sidecar.connect(i.id(), i.jid(), lifecycle.proxySpec(i), i.settings())
          .invoke(connected -> metrics.reconnect("restore", connected ? "already_connected" : "initiated"))
          .onFailure().invoke(() -> metrics.reconnect("restore", "failed")).replaceWith(true);
    }).onFailure().recoverWithItem(t -> {
      Log.debugf("Restore of instance %s failed: %s", i.id(), t.getMessage());
      return false;
    });
  }
}
