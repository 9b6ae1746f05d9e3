package io.wagate.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads the instance_event table, to check that every state change was recorded. */
@ApplicationScoped
public class EventLog {
  private final Pool pool;

  public EventLog(Pool pool) {
    this.pool = pool;
  }

  public record Row(long id, String state, JsonObject data, String event) {
  }

  public List<Row> of(String instanceName, String accountToken) {
    return pool.preparedQuery("SELECT e.id, e.state, e.data, e.event FROM instance_event e JOIN instance i ON i.id = e.instance_id"
        + " JOIN account a ON a.id = i.account_id WHERE e.instance_name = $1 AND a.token_hash = $2 ORDER BY e.id")
        .execute(Tuple.of(instanceName, io.wagate.security.TokenHasher.hash(accountToken)))
        .map(rows -> {
          List<Row> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Row(r.getLong("id"), r.getString("state"), r.getJsonObject("data"), r.getString("event"))));
          return out;
        }).await().atMost(Duration.ofSeconds(10));
  }

  /** The {@code instance.state} values in order (messaging events of the same log left out). */
  public List<String> states(String instanceName, String accountToken) {
    return of(instanceName, accountToken).stream().filter(r -> "instance.state".equals(r.event())).map(Row::state).toList();
  }

  public long maxId() {
    return pool.query("SELECT coalesce(max(id), 0) FROM instance_event").execute().map(rows -> rows.iterator().next().getLong(0))
        .await().atMost(Duration.ofSeconds(10));
  }
}
