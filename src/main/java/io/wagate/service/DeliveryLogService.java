package io.wagate.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.wagate.Principal;
import io.wagate.events.WebhookDispatcher;
import io.wagate.mapping.ConsoleViews.AttemptView;
import io.wagate.mapping.ConsoleViews.DeliveryView;
import io.wagate.mapping.ConsoleViews.Transition;
import io.wagate.repository.DeliveryLogRepository;
import io.wagate.repository.EventRepository;

/** The console's extensions of the Events module: timeline, delivery log, redelivery (docs/API.md, section 3.4). */
@ApplicationScoped
public class DeliveryLogService {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 500;

  private final InstanceService instances;
  private final DeliveryLogRepository log;
  private final WebhookDispatcher dispatcher;

  public DeliveryLogService(InstanceService instances, DeliveryLogRepository log, WebhookDispatcher dispatcher) {
    this.instances = instances;
    this.log = log;
    this.dispatcher = dispatcher;
  }

  /** The instance's latest state transitions, newest first, each with its cause and time. */
  public Uni<List<Transition>> timeline(Principal principal, String name, String limit) {
    int n = limit(limit);
    return instances.resolve(principal, name).chain(i -> log.events(i.id(), n)).map(events -> events.stream()
        .filter(e -> EventRepository.EVENT_INSTANCE_STATE.equals(e.event()))
        .map(e -> {
          JsonObject data = e.data() == null ? new JsonObject() : e.data();
          return new Transition(e.id(), data.getString("state"), data.getString("previousState"), data.getString("reason"), data.getString("numberJid"),
              e.at().toString());
        }).toList());
  }

  /** The instance's latest webhook deliveries, newest first, each with every attempt. */
  public Uni<List<DeliveryView>> deliveries(Principal principal, String name, String limit) {
    int n = limit(limit);
    return instances.resolve(principal, name).chain(i -> log.deliveries(i.id(), n)).map(list -> list.stream()
        .map(d -> new DeliveryView(d.id(), d.eventId(), d.event(), d.state(), d.label(), d.url(), d.status(), d.createdAt().toString(),
            d.finishedAt() == null ? null : d.finishedAt().toString(),
            d.attempts().stream().map(a -> new AttemptView(a.attempt(), a.at().toString(), a.httpStatus(), a.latencyMs(), a.error())).toList()))
        .toList());
  }

  /** Queues a stored event again for the instance's enabled webhooks that take it; yields how many deliveries were queued. */
  public Uni<Integer> redeliver(Principal principal, String name, String eventId) {
    long id = eventId(eventId);
    return instances.resolve(principal, name).chain(i -> log.eventExists(i.id(), id).chain(found -> {
      if (!found) {
        return Uni.createFrom().failure(DomainException.notFound("Event not found"));
      }
      return log.redeliver(i.id(), id);
    })).map(queued -> {
      if (queued == 0) {
        throw DomainException.invalidInput("No enabled webhook takes this event");
      }
      dispatcher.poke();
      return queued;
    });
  }

  static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the refusal
    }
    throw DomainException.invalidInput("Invalid limit value");
  }

  private static long eventId(String value) {
    try {
      long id = Long.parseLong(value);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // an id that cannot exist
    }
    throw DomainException.notFound("Event not found");
  }
}
