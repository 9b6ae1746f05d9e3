package io.wagate.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wagate.DesiredState;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.LifecycleEvent;
import io.wagate.client.SidecarCallException;
import io.wagate.client.SidecarClient;
import io.wagate.client.SidecarUnavailableException;
import io.wagate.cluster.Ownership;
import io.wagate.config.WagateConfig;
import io.wagate.health.RestoreProgress;
import io.wagate.repository.InstanceRepository;

/**
 * Makes observed state follow desired state: every instance that should run, has a saved session and is not live in
 * the sidecar is reconnected, with bounded concurrency. Never-paired and logged-out instances have no session (or are
 * stopped) and are never touched. Repeated failures per instance back off exponentially, capped.
 */
@ApplicationScoped
public class Reconciler {
  private static final long BASE_BACKOFF_MS = 2_000;
  private static final long MAX_BACKOFF_MS = 300_000;
  private static final int LOST_BATCH = 500;
  /** About 30 s of retries (50 ms growing to 250 ms): a sidecar's store upgrade at start-up usually takes far less. */
  private static final int LIST_RETRIES = 120;
  /** How long the lost mark waits for the sidecar's session list before it presumes every session gone. */
  private static final Duration LOST_LIST_WAIT = Duration.ofSeconds(1);

  private record Attempt(int count, long notBefore) {
  }

  private final InstanceRepository instances;
  private final SidecarClient sidecar;
  private final LifecycleService lifecycle;
  private final StateRecorder recorder;
  private final WagateConfig config;
  private final RestoreProgress progress;
  private final LifecycleMetrics metrics;
  private final StreamPosition position;
  private final Ownership ownership;
  private final Map<UUID, Attempt> attempts = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private final AtomicBoolean lost = new AtomicBoolean();
  private final AtomicBoolean resyncWanted = new AtomicBoolean();
  private volatile String lastBootId;

  public Reconciler(InstanceRepository instances, SidecarClient sidecar, LifecycleService lifecycle, StateRecorder recorder,
      WagateConfig config, RestoreProgress progress, LifecycleMetrics metrics, StreamPosition position, Ownership ownership) {
    this.ownership = ownership;
    this.position = position;
    this.progress = progress;
    this.metrics = metrics;
    this.recorder = recorder;
    this.instances = instances;
    this.sidecar = sidecar;
    this.lifecycle = lifecycle;
    this.config = config;
  }

  @Scheduled(every = "${wagate.reconcile.interval}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> tick() {
    return reconcile(false);
  }

  /**
   * Runs a pass now (a new sidecar boot was announced on the event stream); when one is already running, another
   * follows it at once, so that a pass that started before the boot was seen cannot stand in for it.
   */
  public void trigger() {
    reconcile(true).subscribe().with(v -> { }, t -> Log.debugf("Reconcile pass failed: %s", t.getMessage()));
  }

  /**
   * The event stream has been broken for a while: whatever the sidecar held is presumed gone. The next pass first
   * records every instance that still looks live, and that the sidecar does not hold, as {@code disconnected}
   * ({@link StateMachine#SIDECAR_LOST}).
   */
  public void sidecarLost() {
    lost.set(true);
    trigger();
  }

  /**
   * The stream is back to the same sidecar process after its sessions were recorded as lost, and what it replayed is
   * stored: the sessions it still holds are recorded as what they are.
   */
  public void resync() {
    resyncWanted.set(true);
    trigger();
  }

  Uni<Void> reconcile() {
    return reconcile(false);
  }

  private Uni<Void> reconcile(boolean queue) {
    if (!running.compareAndSet(false, true)) {
      if (queue) {
        again.set(true);
      }
      return Uni.createFrom().voidItem();
    }
    // the flag is cleared only once recorded: with the database down too, the next pass tries again
    return (lost.get() ? recordSidecarLost().invoke(() -> lost.set(false)) : Uni.createFrom().voidItem()).chain(this::pass)
        .onFailure().recoverWithItem(t -> {
          Log.debugf("Reconcile pass skipped: %s", t.getMessage());
          return null;
        })
        .eventually(() -> {
          running.set(false);
          if (again.getAndSet(false)) {
            trigger();
          }
        });
  }

  private Uni<Void> pass() {
    RestoreTimings timings = new RestoreTimings();
    return listSessions()
        .invoke(timings::listed)
        .chain(snapshot -> caughtUp(snapshot).chain(current -> {
          boolean newBoot = !snapshot.bootId().equals(lastBootId);
          if (!current && !newBoot) {
            // the next pass tries again; a new boot is restored regardless, so that a broken stream cannot stall it
            Log.debugf("Reconcile pass skipped: the stored event stream is behind the sidecar's session list");
            return Uni.createFrom().item(List.<Boolean>of());
          }
          lastBootId = snapshot.bootId();
          progress.seen(snapshot.bootId());
          if (newBoot) {
            // a fresh sidecar process forgives past failures
            attempts.clear();
          }
          return (newBoot ? markLost(snapshot) : Uni.createFrom().voidItem())
              .invoke(timings::markedLost)
              .chain(instances::listDesiredRunning).map(this::owned)
              .call(list -> resyncWanted.getAndSet(false) && !newBoot ? resync(list, snapshot.live()) : Uni.createFrom().voidItem())
              .map(list -> pending(list, snapshot.live()))
              .invoke(list -> progress.planned(list.size()))
              .invoke(timings::planned)
              .chain(list -> restoreAll(list, timings).collect().asList())
              .invoke(() -> progress.finished(snapshot.bootId()))
              .invoke(done -> timings.log(snapshot.bootId(), newBoot));
        }))
        .invoke(done -> {
          if (!done.isEmpty()) {
            Log.infof("Reconciler restored %d instance(s)", done.stream().filter(Boolean::booleanValue).count());
          }
        })
        .replaceWithVoid();
  }

  /**
   * The session list, tried again while the sidecar cannot answer yet: a restarted sidecar announces its boot on the
   * event stream before its session store is ready and refuses calls until then, and the pass that boot triggered
   * would otherwise fail and leave the restore to the next tick (up to 30 s later).
   */
  private Uni<SidecarClient.Sessions> listSessions() {
    return sidecar.listSessions().onFailure(Reconciler::notAnswering).retry().withBackOff(Duration.ofMillis(50), Duration.ofMillis(250))
        .atMost(LIST_RETRIES);
  }

  private static boolean notAnswering(Throwable t) {
    return t instanceof SidecarUnavailableException || t instanceof SidecarCallException call && call.kind() == SidecarCallException.Kind.UNAVAILABLE;
  }

  /**
   * Waits briefly until every event the sidecar had published when it listed its sessions is stored. A session that
   * ended by stream replacement or logout is missing from the list before its terminal event (which stops its desired
   * state) is recorded; restoring it in that window would undo the event.
   */
  private Uni<Boolean> caughtUp(SidecarClient.Sessions snapshot) {
    return Uni.createFrom().item(() -> position.storedThrough(snapshot.bootId(), snapshot.lastSeq()))
        .onItem().transformToUni(ok -> ok ? Uni.createFrom().item(true) : Uni.createFrom().<Boolean>failure(new IllegalStateException("stream behind")))
        .onFailure().retry().withBackOff(Duration.ofMillis(20), Duration.ofMillis(200)).atMost(25)
        .onFailure().recoverWithItem(false);
  }

  /**
   * Sessions that a previous sidecar process held are gone: every instance that still looks connecting/connected and is
   * not live in the new process is recorded as disconnected first, so that REST, WebSocket and webhooks never show a
   * session without a socket; the restore then records its own {@code connecting} and {@code connected}.
   */
  private Uni<Void> markLost(SidecarClient.Sessions snapshot) {
    return instances.listLooksLive().map(this::owned)
        .map(list -> list.stream().filter(i -> !Boolean.TRUE.equals(snapshot.live().get(i.id()))).map(Instance::id).toList())
        .chain(this::recordLost);
  }

  /**
   * The stream has been broken for the grace time. The mark can come late: a pass may already have seen a new sidecar
   * and restored its sessions before the stream reached it, and marking those would record a {@code disconnected} after
   * their {@code connected}. So a sidecar that answers is asked what it holds, and only what it does not hold is marked;
   * one that does not answer at once is presumed to hold nothing.
   */
  Uni<Void> recordSidecarLost() {
    return sidecar.listSessions().ifNoItem().after(LOST_LIST_WAIT).fail()
        .onItemOrFailure().transformToUni((snapshot, failure) -> failure == null ? markLost(snapshot) : markAllLost());
  }

  private Uni<Void> markAllLost() {
    return instances.listLooksLive().map(this::owned).map(list -> list.stream().map(Instance::id).toList()).chain(this::recordLost);
  }

  private Uni<Void> recordLost(List<UUID> ids) {
    if (!ids.isEmpty()) {
      Log.infof("Recording %d instance(s) as disconnected: %s", ids.size(), StateMachine.SIDECAR_LOST);
    }
    // in chunks, one transaction each: one huge transaction would hold the append lock for long
    return Multi.createFrom().iterable(chunks(ids, LOST_BATCH)).onItem().transformToUniAndConcatenate(c -> recorder.localAll(c, LifecycleEvent.DISCONNECTED,
        StateMachine.SIDECAR_LOST)).collect().last().replaceWithVoid();
  }

  /** The instances whose sessions this gateway holds: all of them with the cluster off, else those it has a lease on. */
  private List<Instance> owned(List<Instance> list) {
    return ownership.enabled() ? list.stream().filter(i -> ownership.owns(i.id())).toList() : list;
  }

  private static List<List<UUID>> chunks(List<UUID> ids, int size) {
    return IntStream.range(0, (ids.size() + size - 1) / size).mapToObj(n -> ids.subList(n * size, Math.min(ids.size(), (n + 1) * size))).toList();
  }

  /**
   * The stream came back to the same sidecar process after its sessions were presumed lost: those it still holds are
   * recorded as what Connect (idempotent, starts nothing) says they are, so that the lost mark does not outlive the blip.
   */
  private Uni<Void> resync(List<Instance> desiredRunning, Map<UUID, Boolean> live) {
    List<Instance> marked = desiredRunning.stream().filter(i -> Boolean.TRUE.equals(live.get(i.id())) && i.state() == InstanceState.DISCONNECTED
        && StateMachine.SIDECAR_LOST.equals(i.lastError())).toList();
    return Multi.createFrom().iterable(marked).onItem().transformToUni(i -> sidecar.connect(i.id(), ownership.epoch(i.id()), i.jid(), lifecycle.proxySpec(i), i.settings())
        .chain(connected -> recorder.local(i.id(), connected ? LifecycleEvent.CONNECTED : LifecycleEvent.CONNECTING, null))
        .onFailure().recoverWithNull()).merge(Math.max(1, config.reconcile().concurrency())).collect().last().replaceWithVoid();
  }

  private List<Instance> pending(List<Instance> desiredRunning, Map<UUID, Boolean> live) {
    long now = System.currentTimeMillis();
    return desiredRunning.stream().filter(i -> {
      if (Boolean.TRUE.equals(live.get(i.id()))) {
        attempts.remove(i.id());
        return false;
      }
      Attempt a = attempts.get(i.id());
      return i.state() != InstanceState.LOGGED_OUT && (a == null || a.notBefore() <= now);
    }).toList();
  }

  /**
   * The pass listed its instances a while ago; a terminal event (stream replaced, logged out, ...) or an API stop since
   * then must win, or the reconciler would reconnect a session that another client just took over. So each instance is
   * read again just before its restore, in chunks of twice the concurrency, one round trip per chunk: with one read per
   * instance, a restore of 1,000 took four times as long as the sidecar needs for the same Connect calls. The next
   * chunk is read while the current one is restored, so the Connect calls never wait for a read.
   */
  private Multi<Boolean> restoreAll(List<Instance> listed, RestoreTimings timings) {
    int concurrency = Math.max(1, config.reconcile().concurrency());
    List<List<UUID>> chunks = chunks(listed.stream().map(Instance::id).toList(), 2 * concurrency);
    return Multi.createFrom().iterable(chunks)
        .onItem().transformToUni(ids -> timings.reread(instances.findAllByIdWithSession(ids.toArray(UUID[]::new))).map(found -> {
          // an instance deleted or stopped since the listing counts as one step that restored nothing
          ids.stream().filter(id -> found.stream().noneMatch(f -> f.instance().id().equals(id))).forEach(id -> progress.stepped());
          return found;
        })).merge(2)
        .onItem().<InstanceRepository.WithSession>disjoint()
        .onItem().transformToUni(found -> timings.connect(restore(found)).invoke(progress::stepped)).merge(concurrency);
  }

  private Uni<Boolean> restore(InstanceRepository.WithSession found) {
    // a lease lost since the listing wins like a stop: the instance is another member's now
    return found.instance().desiredState() != DesiredState.RUNNING || !ownership.owns(found.instance().id()) ? Uni.createFrom().item(false)
        : restoreNow(found.instance(), found.hasSession());
  }

  private Uni<Boolean> restoreNow(Instance i, boolean hasSession) {
    if (!hasSession) {
      metrics.reconnect("restore", "no_session");
      return Uni.createFrom().item(false);
    }
    Attempt previous = attempts.get(i.id());
    int count = previous == null ? 0 : previous.count() + 1;
    attempts.put(i.id(), new Attempt(count, System.currentTimeMillis() + Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(count, 16))));
    return Uni.createFrom().deferred(() -> sidecar.connect(i.id(), ownership.epoch(i.id()), i.jid(), lifecycle.proxySpec(i), i.settings()))
        .invoke(connected -> metrics.reconnect("restore", connected ? "already_connected" : "initiated"))
        .onFailure().invoke(() -> metrics.reconnect("restore", "failed")).replaceWith(true)
        .onFailure().recoverWithItem(t -> {
          Log.debugf("Restore of instance %s failed: %s", i.id(), t.getMessage());
          return false;
        });
  }
}
