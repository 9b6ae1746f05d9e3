package io.wagate.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.UUID;

/**
 * Highest-random-weight hashing: an instance belongs to the member with the highest weight for the pair. Every member
 * computes the same answer from the same list of live members, without talking to the others, and a member joining or
 * leaving moves only the instances it wins or held. The weight must not depend on the JVM (no {@code hashCode} of
 * strings, whose 32 bits also cluster): FNV-1a over the member id, mixed with the instance id by splitmix64.
 */
public final class Rendezvous {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Rendezvous() {
  }

  /** The member that owns {@code instance} among {@code members}, or null when there is none. */
  public static String owner(UUID instance, Collection<String> members) {
    String best = null;
    long bestWeight = 0;
    for (String m : members) {
      long w = weight(m, instance);
      if (best == null || w > bestWeight || (w == bestWeight && m.compareTo(best) < 0)) {
        best = m;
        bestWeight = w;
      }
    }
    return best;
  }

  static long weight(String member, UUID instance) {
    long h = FNV_OFFSET;
    for (byte b : member.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * FNV_PRIME;
    }
    return mix(h ^ mix(instance.getMostSignificantBits() ^ mix(instance.getLeastSignificantBits())));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
