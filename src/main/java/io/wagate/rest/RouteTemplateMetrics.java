package io.wagate.rest;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * The {@code uri} label of {@code http.server.*} is a route template or {@code UNKNOWN}, never a raw path: answers written
 * before routing (413, 414, 431, 429, 503) and REST's 405 would otherwise label the metric with the path as sent, instance
 * name included, and let any client grow the label's cardinality at will.
 */
@Singleton
public class RouteTemplateMetrics {
  static final String UNKNOWN = "UNKNOWN";
  /** What Micrometer's Vert.x binder itself puts there instead of a path. */
  static final Set<String> BINDER_VALUES = Set.of("NOT_FOUND", "REDIRECTION", "root", UNKNOWN);

  @Produces
  @Singleton
  MeterFilter routeTemplatesOnly() {
    Set<String> known = new HashSet<>(BINDER_VALUES);
    known.addAll(Routes.templates());
    known.add(Routes.INSTANCE_SOCKET);
    known.add(Routes.ACCOUNT_SOCKET);
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        String uri = id.getTag("uri");
        if (!id.getName().startsWith("http.server") || uri == null || known.contains(uri)) {
          return id;
        }
        return id.replaceTags(Tags.of(id.getTagsAsIterable()).and("uri", UNKNOWN));
      }
    };
  }
}
