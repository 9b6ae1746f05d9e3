package io.wagate.cluster;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.smallrye.mutiny.Uni;

/** What the layer above does when ownership changes: it holds the sessions, this package only the leases. */
public interface OwnershipListener {
  /**
   * Ends the sessions of instances this member no longer owns, or is about to give away; given with the epoch it last
   * held. A hand-over releases the leases only once this completed.
   */
  Uni<Void> drop(Map<UUID, Long> epochs);

  /** Instances this member now owns: their sessions should be started. */
  void gained(Set<UUID> ids);
}
