package io.wagate.repository;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The highest receipt emitted per (instance, message, recipient), {@code message_status} (V13). */
@ApplicationScoped
public class MessageStatusRepository {
  private static final String RAISE = """
      INSERT INTO message_status (instance_id, message_id, recipient, rank) SELECT DISTINCT $1::uuid, m, $2, $3::smallint FROM unnest($4::text[]) AS m
      ON CONFLICT (instance_id, message_id, recipient) DO UPDATE SET rank = EXCLUDED.rank, updated_at = now() WHERE message_status.rank < EXCLUDED.rank
      RETURNING message_id""";

  private static final String BELOW = """
      SELECT m FROM unnest($3::text[]) AS m WHERE NOT EXISTS (SELECT 1 FROM message_status s
        WHERE s.instance_id = $1 AND s.message_id = m AND s.recipient = $2 AND s.rank >= $4)""";

  /** Raises the messages to {@code rank}; yields those it raised (the others were at it or higher already). */
  public Uni<Set<String>> raise(SqlClient conn, UUID instanceId, String recipient, int rank, List<String> messageIds) {
    return ids(conn, RAISE, Tuple.of(instanceId, recipient, rank, messageIds.toArray(String[]::new)));
  }

  /** The messages still below {@code rank}. */
  public Uni<Set<String>> below(SqlClient conn, UUID instanceId, String recipient, int rank, List<String> messageIds) {
    return ids(conn, BELOW, Tuple.of(instanceId, recipient, messageIds.toArray(String[]::new), rank));
  }

  private static Uni<Set<String>> ids(SqlClient conn, String sql, Tuple args) {
    return conn.preparedQuery(sql).execute(args).map(rows -> {
      Set<String> out = new HashSet<>();
      rows.forEach(r -> out.add(r.getString(0)));
      return out;
    });
  }
}
