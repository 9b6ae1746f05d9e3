package io.wagate.cluster;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.Principal;
import io.wagate.config.WagateConfig;

/**
 * The decision "forward or act here" for a lifecycle command: the address of the member that holds the instance's
 * lease, unexpired, when that is another live member. Free and expired leases, unknown instances and names the
 * caller may not use all yield empty, so the local route answers them exactly as a single gateway would (claiming
 * the lease, or 404/403).
 */
@ApplicationScoped
public class OwnerLookup {
  private static final String OWNER = "SELECT m.address FROM instance i JOIN instance_lease l ON l.instance_id = i.id JOIN member m ON m.id = l.owner"
      + " WHERE l.expires_at > now() AND l.owner <> $1 AND m.heartbeat_at > now() - $2 * interval '1 millisecond' AND ";

  private final Pool pool;
  private final Ownership ownership;
  private final long leaseMillis;

  public OwnerLookup(Pool pool, Ownership ownership, WagateConfig config) {
    this.pool = pool;
    this.ownership = ownership;
    this.leaseMillis = config.cluster().lease().toMillis();
  }

  public boolean enabled() {
    return ownership.enabled();
  }

  public String memberId() {
    return ownership.memberId();
  }

  /** Where the named instance's owner is reached, when it is another live member; as the caller's token names it. */
  public Uni<Optional<String>> elsewhere(Principal principal, String name) {
    if (principal.isAccount()) {
      return pool.preparedQuery(OWNER + "i.account_id = $3 AND i.name = $4").execute(Tuple.of(memberId(), leaseMillis, principal.accountId(), name))
          .map(OwnerLookup::address);
    }
    if (name.equals(principal.instanceName())) {
      return pool.preparedQuery(OWNER + "i.id = $3").execute(Tuple.of(memberId(), leaseMillis, principal.instanceId())).map(OwnerLookup::address);
    }
    // another instance's name with an instance token: the local route refuses it
    return Uni.createFrom().item(Optional.empty());
  }

  private static Optional<String> address(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.ofNullable(it.next().getString(0)) : Optional.empty();
  }
}
