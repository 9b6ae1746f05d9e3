package io.wagate.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.wagate.Principal;
import io.wagate.events.WebhookDispatcher;
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
  public Uni<Map<String, Object>> timeline(Principal principal, String name, String limit) {
    int n = limit(limit);
    return instances.resolve(principal, name).chain(i -> log.events(i.id(), n)).map(events -> {
      List<Map<String, Object>> out = new ArrayList<>(events.size());
      for (DeliveryLogRepository.Entry e : events) {
        if (!EventRepository.EVENT_INSTANCE_STATE.equals(e.event())) {
          continue;
        }
        JsonObject data = e.data() == null ? new JsonObject() : e.data();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", e.id());
        item.put("state", data.getString("state"));
        item.put("previousState", data.getString("previousState"));
        item.put("reason", data.getString("reason"));
        item.put("numberJid", data.getString("numberJid"));
        item.put("at", e.at().toString());
        out.add(item);
      }
      return Map.of("success", true, "message", "Timeline retrieved", "timeline", out);
    });
  }

  /** The instance's latest webhook deliveries, newest first, each with every attempt. */
  public Uni<Map<String, Object>> deliveries(Principal principal, String name, String limit) {
    int n = limit(limit);
    return instances.resolve(principal, name).chain(i -> log.deliveries(i.id(), n)).map(list -> {
      List<Map<String, Object>> out = new ArrayList<>(list.size());
      for (DeliveryLogRepository.Delivery d : list) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", d.id());
        item.put("eventId", d.eventId());
        item.put("event", d.event());
        item.put("state", d.state());
        item.put("label", d.label());
        item.put("url", d.url());
        item.put("status", d.status());
        item.put("createdAt", d.createdAt().toString());
        item.put("finishedAt", d.finishedAt() == null ? null : d.finishedAt().toString());
        List<Map<String, Object>> attempts = new ArrayList<>(d.attempts().size());
        for (DeliveryLogRepository.Attempt a : d.attempts()) {
          Map<String, Object> at = new LinkedHashMap<>();
          at.put("attempt", a.attempt());
          at.put("at", a.at().toString());
          at.put("httpStatus", a.httpStatus());
          at.put("latencyMs", a.latencyMs());
          at.put("error", a.error());
          attempts.add(at);
        }
        item.put("attempts", attempts);
        out.add(item);
      }
      return Map.of("success", true, "message", out.size() == 1 ? "1 Delivery found" : out.size() + " Deliveries found", "deliveries", out);
    });
  }

  /** Queues a stored event again for the instance's enabled webhooks that take it. */
  public Uni<Map<String, Object>> redeliver(Principal principal, String name, String eventId) {
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
      return Map.of("success", true, "message", "Redelivery queued", "queued", queued);
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
