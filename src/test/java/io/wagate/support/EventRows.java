package io.wagate.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC reads of the event log and the outbox, for tests that run without the Quarkus test runtime. */
public final class EventRows {
  private EventRows() {
  }

  public static List<Long> ids(String instanceName) {
    List<Long> out = new ArrayList<>();
    query("SELECT id FROM instance_event WHERE instance_name = ? ORDER BY id", instanceName, rs -> out.add(rs.getLong(1)));
    return out;
  }

  public static long pendingDeliveries(String instanceName) {
    long[] n = new long[1];
    query("SELECT count(*) FROM webhook_delivery d JOIN instance_event e ON e.id = d.event_id WHERE e.instance_name = ? AND d.status = 'pending'",
        instanceName, rs -> n[0] = rs.getLong(1));
    return n[0];
  }

  /** Pending deliveries of the instance that some process holds a lease on now. */
  public static long leasedDeliveries(String instanceName) {
    long[] n = new long[1];
    query("SELECT count(*) FROM webhook_delivery d JOIN instance_event e ON e.id = d.event_id WHERE e.instance_name = ? AND d.status = 'pending'"
        + " AND d.leased_until > now()", instanceName, rs -> n[0] = rs.getLong(1));
    return n[0];
  }

  /** The member holding the instance's lease now (unexpired), or null. */
  public static String leaseOwner(String instanceName) {
    String[] owner = new String[1];
    query("SELECT l.owner FROM instance_lease l JOIN instance i ON i.id = l.instance_id WHERE i.name = ? AND l.expires_at > now()", instanceName,
        rs -> owner[0] = rs.getString(1));
    return owner[0];
  }

  public static java.util.UUID instanceId(String instanceName) {
    java.util.UUID[] id = new java.util.UUID[1];
    query("SELECT id FROM instance WHERE name = ?", instanceName, rs -> id[0] = rs.getObject(1, java.util.UUID.class));
    return id[0];
  }

  /** Runs one statement whose only parameter is {@code arg}; for tests that plant rows (a member, a lease). */
  public static void execute(String sql, String arg) {
    query(sql + " RETURNING 1", arg, rs -> { });
  }

  interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  private static void query(String sql, String arg, RowHandler handler) {
    String url = "jdbc:postgresql://" + env("PG_HOST", "127.0.0.1") + ":" + env("PG_PORT", "55432") + "/" + env("PG_DB", "app");
    try (Connection c = DriverManager.getConnection(url, env("PG_USER", "app"), env("PG_PASSWORD", "app"));
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          handler.row(rs);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
