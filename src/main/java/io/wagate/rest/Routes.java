package io.wagate.rest;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The REST routes as their annotations declare them, template to methods: the {@code Allow} header of a 405 and the
 * {@code uri} label of the HTTP metrics are derived from the resources themselves rather than from a list kept by hand.
 */
// their annotations are read at run time, also in the native image
@RegisterForReflection(targets = {InstanceResource.class, InstanceConfigResource.class, EventsResource.class, AdminResource.class,
    ConsoleResource.class, DemoResource.class, MessageResource.class, ChatResource.class}, methods = true)
public final class Routes {
  private static final List<Class<?>> RESOURCES = List.of(InstanceResource.class, InstanceConfigResource.class, EventsResource.class, AdminResource.class,
      ConsoleResource.class, DemoResource.class, MessageResource.class, ChatResource.class);
  private static final Map<String, Set<String>> METHODS = scan();
  private static final Map<Pattern, String> MATCHERS = matchers();

  /** The WebSocket endpoints' paths (their {@code @WebSocket} annotations use these), for the metrics' {@code uri} label. */
  public static final String ACCOUNT_SOCKET = "/ws";
  public static final String INSTANCE_SOCKET = "/ws/{instance}";

  private Routes() {
  }

  /** Every route template, e.g. {@code /api/instance/connect/{instance}}. */
  public static Set<String> templates() {
    return METHODS.keySet();
  }

  /** The methods of the route that {@code path} matches, comma-separated; empty when none matches. */
  public static String allowed(String path) {
    Set<String> methods = new TreeSet<>();
    MATCHERS.forEach((pattern, template) -> {
      if (pattern.matcher(path).matches()) {
        methods.addAll(METHODS.get(template));
      }
    });
    return String.join(", ", methods);
  }

  private static Map<String, Set<String>> scan() {
    Map<String, Set<String>> routes = new LinkedHashMap<>();
    for (Class<?> resource : RESOURCES) {
      String base = resource.getAnnotation(Path.class).value();
      for (Method method : resource.getDeclaredMethods()) {
        String verb = verb(method);
        if (verb != null) {
          Path path = method.getAnnotation(Path.class);
          String template = path == null ? base : base + (path.value().startsWith("/") ? "" : "/") + path.value();
          routes.computeIfAbsent(template, t -> new TreeSet<>()).add(verb);
        }
      }
    }
    return Map.copyOf(routes);
  }

  private static String verb(Method method) {
    for (var annotation : method.getAnnotations()) {
      HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  private static Map<Pattern, String> matchers() {
    Map<Pattern, String> out = new LinkedHashMap<>();
    METHODS.keySet().forEach(t -> out.put(Pattern.compile(Pattern.quote(t).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "/?"), t));
    return out;
  }
}
