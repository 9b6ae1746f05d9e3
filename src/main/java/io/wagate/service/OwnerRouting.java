package io.wagate.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.wagate.Principal;
import io.wagate.cluster.OwnerLookup;

/** The service-layer face of {@link OwnerLookup} for the forwarding route: rest reaches cluster state only through service. */
@ApplicationScoped
public class OwnerRouting {
  private final OwnerLookup owners;

  public OwnerRouting(OwnerLookup owners) {
    this.owners = owners;
  }

  public boolean enabled() {
    return owners.enabled();
  }

  public String memberId() {
    return owners.memberId();
  }

  /** Where the named instance's owner is reached, when it is another live member; empty: act here. */
  public Uni<Optional<String>> elsewhere(Principal principal, String name) {
    return owners.elsewhere(principal, name);
  }
}
