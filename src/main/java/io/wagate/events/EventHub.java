package io.wagate.events;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.wagate.health.DatabaseOutage;

/**
 * The live fan-out of committed events to this replica's subscribers. Every notification (in-process event bus, or
 * LISTEN/NOTIFY from any replica) only says "something new": the hub then reads every event after the last one it
 * dispatched, in id order. Because appends are serialised (V10), that read never skips an id, and a lost or coalesced
 * notification only delays events, it cannot lose them. A subscriber that registers gets the last dispatched id as
 * its seam: it reads anything up to the seam from the store and receives everything after it from the hub.
 */
@ApplicationScoped
public class EventHub {
  /** Events read and dispatched in one go; a subscriber's buffer must hold a couple of these bursts. */
  public static final int PAGE = 200;

  /** A consumer of live events; {@link #offer} is called under the hub's lock and must not block. */
  public interface Subscriber {
    boolean wants(EventRecord r);

    void offer(EventRecord r, String frame);
  }

  private final EventStore store;
  private final Envelopes envelopes;
  private final DatabaseOutage database;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private long lastDispatched;
  private boolean fetching;
  private boolean again;

  public EventHub(EventStore store, Envelopes envelopes, DatabaseOutage database) {
    this.database = database;
    this.store = store;
    this.envelopes = envelopes;
  }

  void onStart(@Observes StartupEvent event) {
    long max = store.maxId().await().indefinitely();
    synchronized (this) {
      lastDispatched = Math.max(lastDispatched, max);
    }
  }

  /** Adds a subscriber; returns the seam: events above it will be offered, events up to it must be read from the store. */
  public synchronized long register(Subscriber s) {
    subscribers.add(s);
    return lastDispatched;
  }

  public void unregister(Subscriber s) {
    subscribers.remove(s);
  }

  public int subscriberCount() {
    return subscribers.size();
  }

  /** A new event with this id was committed. */
  public void announced(long id) {
    synchronized (this) {
      // nobody to tell: advance the seam without a read (every id up to a committed one is visible already)
      if (subscribers.isEmpty() && !fetching) {
        lastDispatched = Math.max(lastDispatched, id);
        return;
      }
    }
    poke();
  }

  /** Safety net for lost notifications (e.g. while the LISTEN connection reconnects). */
  @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void tick() {
    if (!subscribers.isEmpty()) {
      poke();
    }
  }

  public void poke() {
    synchronized (this) {
      if (fetching) {
        again = true;
        return;
      }
      fetching = true;
      again = false;
    }
    fetch();
  }

  private void fetch() {
    long from;
    synchronized (this) {
      from = lastDispatched;
    }
    store.after(from, PAGE).subscribe().with(list -> {
      dispatch(list);
      done(list.size() == PAGE);
    }, failure -> {
      if (!database.failed("event fan-out", failure)) {
        Log.warnf("Event fan-out read failed: %s", failure.getMessage());
      }
      done(false);
    });
  }

  private synchronized void dispatch(List<EventRecord> list) {
    for (EventRecord r : list) {
      if (r.id() <= lastDispatched) {
        continue;
      }
      lastDispatched = r.id();
      String frame = null;
      for (Subscriber s : subscribers) {
        if (s.wants(r)) {
          if (frame == null) {
            frame = envelopes.encode(r);
          }
          s.offer(r, frame);
        }
      }
    }
  }

  private void done(boolean more) {
    synchronized (this) {
      if (!more && !again) {
        fetching = false;
        return;
      }
      again = false;
    }
    fetch();
  }
}
