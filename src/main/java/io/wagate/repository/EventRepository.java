package io.wagate.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The append-only {@code instance_event} log. */
@ApplicationScoped
public class EventRepository {
  /** Channel on which committed events are announced to all replicas (payload: the highest id of an append). */
  public static final String NOTIFY_CHANNEL = "wagate_events";
  /** The lifecycle event's name (docs/API.md, section 3.1); messaging events carry their own. */
  public static final String EVENT_INSTANCE_STATE = "instance.state";

  /**
   * One event of a batch: {@code event} is its API name, {@code state} the short label kept beside it. A non-null
   * {@code dedupeKey} stores the event only if the instance's log has none with that key (V12).
   */
  public record Append(UUID instanceId, UUID accountId, String instanceName, String event, String state, JsonObject data, String dedupeKey) {
    public Append(UUID instanceId, UUID accountId, String instanceName, String event, String state, JsonObject data) {
      this(instanceId, accountId, instanceName, event, state, data, null);
    }

    /** An {@code instance.state} event. */
    public Append(UUID instanceId, UUID accountId, String instanceName, String state, JsonObject data) {
      this(instanceId, accountId, instanceName, EVENT_INSTANCE_STATE, state, data);
    }
  }

  private final Pool pool;

  public EventRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Whether a message with WhatsApp id {@code messageId} is in the instance's log, and if so whether this account sent it
   * ({@code fromMe}); empty when it is not (never seen, or pruned by retention).
   */
  public Uni<Optional<Boolean>> messageFromMe(UUID instanceId, String messageId) {
    return pool.preparedQuery("SELECT (data->'message'->>'fromMe')::boolean FROM instance_event WHERE instance_id = $1 AND event = 'message.exchange'"
        + " AND data->>'id' = $2 ORDER BY id DESC LIMIT 1").execute(Tuple.of(instanceId, messageId))
        .map(rows -> rows.size() == 0 ? Optional.<Boolean>empty() : Optional.of(Boolean.TRUE.equals(rows.iterator().next().getBoolean(0))));
  }

  /**
   * Appends a batch in list order in one statement: what {@code wagate_append_event} (V10) does per event, set-based
   * (the same advisory lock until commit, event rows numbered in list order, outbox rows per matching webhook in event
   * order, one NOTIFY with the highest id, which tells listeners to read up to it). Yields the ids in list order, with
   * null for an event whose dedupe key the log already holds (or that repeats an earlier one of the batch).
   */
  public Uni<List<Long>> appendAll(SqlClient client, List<Append> batch) {
    return append(client, APPEND_ALL, batch);
  }

  /**
   * {@link #appendAll} of a send's echo in one statement (its own transaction, no BEGIN and COMMIT round trips): the
   * append lock, then {@code statusRank} raised for {@code messageId} to {@code recipient} in {@code message_status}
   * (MessageStatusRepository), then the batch, whose {@code message.status} events are left out unless the rank rose.
   * The lock comes before the rank row as in every other writer (see {@link #lockAppends}).
   */
  public Uni<List<Long>> appendRaising(List<Append> batch, String messageId, String recipient, int statusRank) {
    return append(pool, APPEND_RAISING, batch, messageId, recipient, statusRank);
  }

  private Uni<List<Long>> append(SqlClient client, String sql, List<Append> batch, Object... extra) {
    UUID[] instances = new UUID[batch.size()];
    UUID[] accounts = new UUID[batch.size()];
    String[] names = new String[batch.size()];
    String[] states = new String[batch.size()];
    String[] data = new String[batch.size()];
    String[] events = new String[batch.size()];
    String[] keys = new String[batch.size()];
    for (int n = 0; n < batch.size(); n++) {
      Append a = batch.get(n);
      instances[n] = a.instanceId();
      accounts[n] = a.accountId();
      names[n] = a.instanceName();
      states[n] = a.state();
      data[n] = a.data().encode();
      events[n] = a.event();
      keys[n] = a.dedupeKey();
    }
    List<Object> args = new ArrayList<>(List.of(instances, accounts, names, states, data, events, keys));
    args.addAll(List.of(extra));
    return client.preparedQuery(sql).execute(Tuple.from(args))
        .map(rows -> {
          List<Row> inserted = new ArrayList<>(batch.size());
          rows.forEach(inserted::add);
          return matchIds(batch, inserted);
        });
  }

  /**
   * Pairs the inserted rows (in id order, which is list order) with the batch: an event without a key is always
   * inserted, so a keyed event that does not match the next inserted row was skipped.
   */
  private static List<Long> matchIds(List<Append> batch, List<Row> inserted) {
    List<Long> ids = new ArrayList<>(batch.size());
    int next = 0;
    for (Append a : batch) {
      Row r = next < inserted.size() ? inserted.get(next) : null;
      if (r != null && a.instanceId().equals(r.getUUID(1)) && Objects.equals(a.dedupeKey(), r.getString(2))) {
        ids.add(r.getLong(0));
        next++;
      } else {
        ids.add(null);
      }
    }
    return ids;
  }

  /**
   * Takes the append lock now, for the rest of the transaction, as {@link #appendAll} does. A transaction that locks
   * other rows before it appends (StatusOrder's per-message ranks) takes it first: otherwise it could hold a row that a
   * transaction holding the append lock waits for, while it waits for the append lock (PostgreSQL: 40P01 deadlock).
   */
  public Uni<Void> lockAppends(SqlClient client) {
    return client.query("SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ")").execute().replaceWithVoid();
  }

  private static final long APPEND_LOCK = 7761001;

  private static final String APPEND_TEMPLATE = """
      WITH lock AS (SELECT pg_advisory_xact_lock(%d)),%s
      src AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
              AS s(instance_id, account_id, instance_name, state, data, event, dedupe_key, ord)%s),
      ins AS (INSERT INTO instance_event (instance_id, account_id, instance_name, event, state, data, dedupe_key)
              SELECT src.instance_id, src.account_id, src.instance_name, src.event, src.state, src.data::jsonb, src.dedupe_key FROM src, lock
              ORDER BY src.ord
              ON CONFLICT (instance_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
              RETURNING id, instance_id, event, dedupe_key),
      outbox AS (INSERT INTO webhook_delivery (webhook_id, instance_id, event_id, url, by_events, authorization_enc, secret_enc, token_enc)
              SELECT w.id, ins.instance_id, ins.id, w.url, w.by_events, w.authorization_enc, w.secret_enc, i.token_enc
              FROM ins JOIN webhook w ON w.instance_id = ins.instance_id LEFT JOIN instance i ON i.id = w.instance_id
              WHERE w.enabled AND w.url IS NOT NULL AND (jsonb_array_length(w.events) = 0 OR w.events ? ins.event)
              ORDER BY ins.id, w.id),
      notify AS (SELECT pg_notify('%s', max(id)::text) FROM ins)
      SELECT ins.id, ins.instance_id, ins.dedupe_key FROM ins, notify ORDER BY ins.id""";

  private static final String APPEND_ALL = APPEND_TEMPLATE.formatted(APPEND_LOCK, "", "", NOTIFY_CHANNEL);

  /** The rank is raised for the batch's instance ($1[1]); the status rows stay only when it rose (V13, message_status). */
  private static final String APPEND_RAISING = APPEND_TEMPLATE.formatted(APPEND_LOCK, """

      raised AS (INSERT INTO message_status (instance_id, message_id, recipient, rank) SELECT ($1::uuid[])[1], $8, $9, $10::smallint FROM lock
              ON CONFLICT (instance_id, message_id, recipient) DO UPDATE SET rank = EXCLUDED.rank, updated_at = now()
              WHERE message_status.rank < EXCLUDED.rank RETURNING message_id),""",
      " WHERE s.event <> 'message.status' OR EXISTS (SELECT 1 FROM raised)", NOTIFY_CHANNEL);
}
