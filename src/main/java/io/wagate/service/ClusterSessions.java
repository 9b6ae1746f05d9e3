package io.wagate.service;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wagate.client.SidecarClient;
import io.wagate.cluster.Ownership;
import io.wagate.cluster.OwnershipListener;
import io.wagate.config.WagateConfig;

/**
 * The sessions side of ownership changes: an instance this member lost or gives away is disconnected in its sidecar
 * (with the epoch it held, so a newer command is never undone), one it gained is restored by the reconciler. Nothing is
 * recorded here: the owner's record stands, and the disconnect's own event is not stored (EventStreamConsumer).
 */
@ApplicationScoped
public class ClusterSessions implements OwnershipListener {
  private final SidecarClient sidecar;
  private final Reconciler reconciler;
  private final Ownership ownership;
  private final int concurrency;

  public ClusterSessions(SidecarClient sidecar, Reconciler reconciler, Ownership ownership, WagateConfig config) {
    this.sidecar = sidecar;
    this.reconciler = reconciler;
    this.ownership = ownership;
    this.concurrency = Math.max(1, config.reconcile().concurrency());
  }

  void onStart(@Observes StartupEvent event) {
    if (ownership.enabled()) {
      ownership.listen(this);
    }
  }

  @Override
  public Uni<Void> drop(Map<UUID, Long> epochs) {
    return Multi.createFrom().iterable(epochs.entrySet())
        .onItem().transformToUni(e -> sidecar.disconnect(e.getKey(), e.getValue()).onFailure().recoverWithUni(t -> {
          // NOT_FOUND: the sidecar holds no session for it, which is what was wanted
          Log.debugf("Disconnect of instance %s after losing it: %s", e.getKey(), t.getMessage());
          return Uni.createFrom().voidItem();
        }))
        .merge(concurrency).collect().last().replaceWithVoid();
  }

  @Override
  public void gained(Set<UUID> ids) {
    Log.infof("Took the lease of %d instance(s); restoring them", ids.size());
    reconciler.trigger();
  }
}
