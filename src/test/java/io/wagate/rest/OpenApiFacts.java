package io.wagate.rest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * What a client learns from the OpenAPI document, as one line per fact, independent of how the document is written (component
 * names, $refs, allOf splits): operations and their ids, parameters, request and response schemas with every constraint
 * (required, pattern, enum, lengths, bounds), every status with its description, headers and literal messages, and the
 * security schemes. OpenApiTests checks that the served document states every fact of src/test/resources/openapi-facts.txt,
 * whether the document is written by hand or generated from annotations.
 * <p>
 * Regenerate the reference only when the contract changes on purpose:
 * {@code java -cp "$(./mvnw -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" src/test/java/io/wagate/rest/OpenApiFacts.java <document> > src/test/resources/openapi-facts.txt}
 */
public final class OpenApiFacts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OpenAPI api;
  private final SortedSet<String> facts = new TreeSet<>();

  private OpenApiFacts(OpenAPI api) {
    this.api = api;
  }

  /** The facts of a document given as JSON or YAML text; $refs are followed, so a fact does not depend on where it is written. */
  public static SortedSet<String> of(String document) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    OpenAPI api = new OpenAPIV3Parser().readContents(document, null, options).getOpenAPI();
    Objects.requireNonNull(api, "not an OpenAPI document");
    OpenApiFacts collector = new OpenApiFacts(api);
    collector.collect();
    return collector.facts;
  }

  public static void main(String[] args) throws Exception {
    of(Files.readString(Path.of(args[0]))).forEach(System.out::println);
  }

  private void collect() {
    var components = api.getComponents();
    if (components != null && components.getSecuritySchemes() != null) {
      components.getSecuritySchemes().forEach((name, s) -> facts.add("securityScheme " + name + " type=" + s.getType() + " in=" + s.getIn()
          + " name=" + s.getName() + " scheme=" + s.getScheme()));
    }
    security("document", api.getSecurity());
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> operation(method + " " + path, item, op)));
  }

  private void security(String prefix, List<SecurityRequirement> requirements) {
    if (requirements != null) {
      requirements.forEach(r -> facts.add(prefix + " security " + new TreeSet<>(r.keySet())));
    }
  }

  private void operation(String op, PathItem item, Operation operation) {
    facts.add(op + " operationId=" + operation.getOperationId());
    security(op, operation.getSecurity());
    List<Parameter> parameters = new ArrayList<>();
    if (item.getParameters() != null) {
      parameters.addAll(item.getParameters());
    }
    if (operation.getParameters() != null) {
      parameters.addAll(operation.getParameters());
    }
    for (Parameter p : parameters) {
      String prefix = op + " parameter " + p.getIn() + " " + p.getName();
      facts.add(prefix + " required=" + Boolean.TRUE.equals(p.getRequired()));
      text(prefix + " description", p.getDescription());
      schema(prefix, p.getSchema(), 0);
    }
    if (operation.getRequestBody() != null) {
      facts.add(op + " request required=" + Boolean.TRUE.equals(operation.getRequestBody().getRequired()));
      content(op + " request", operation.getRequestBody().getContent());
    }
    operation.getResponses().forEach((status, response) -> response(op + " response " + status, response));
  }

  private void response(String prefix, ApiResponse response) {
    text(prefix + " description", response.getDescription());
    if (response.getHeaders() != null) {
      response.getHeaders().forEach((name, h) -> {
        facts.add(prefix + " header " + name);
        schema(prefix + " header " + name, h.getSchema(), 0);
      });
    }
    content(prefix, response.getContent());
  }

  private void content(String prefix, Map<String, MediaType> content) {
    if (content == null) {
      return;
    }
    content.forEach((type, media) -> {
      facts.add(prefix + " " + type);
      schema(prefix + " " + type + " body", media.getSchema(), 0);
      messages(prefix + " " + type, media.getExample());
      if (media.getExamples() != null) {
        media.getExamples().values().stream().map(Example::getValue).forEach(v -> messages(prefix + " " + type, v));
      }
    });
  }

  /** The literal message of an example: the contract's strings, in the envelope or in a success body. */
  @SuppressWarnings("unchecked")
  private void messages(String prefix, Object example) {
    if (example == null) {
      return;
    }
    Object value = example instanceof String s ? parse(s) : JSON.convertValue(example, Object.class);
    if (value instanceof Map<?, ?> body) {
      text(prefix + " message", body.get("message"));
      if (body.get("error") instanceof Map<?, ?> error) {
        text(prefix + " message", error.get("message"));
      }
    }
  }

  private static Object parse(String text) {
    try {
      return JSON.readValue(text, Object.class);
    } catch (Exception notJson) {
      return text;
    }
  }

  private void schema(String at, Schema<?> schema, int depth) {
    if (schema == null || depth > 12) {
      return;
    }
    Consumer<String> fact = f -> facts.add(at + " " + f);
    Map<String, Schema> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (Schema<?> part : flatten(schema)) {
      constraints(fact, part);
      if (part.getProperties() != null) {
        properties.putAll(part.getProperties());
      }
      if (part.getRequired() != null) {
        required.addAll(part.getRequired());
      }
      if (part.getItems() != null) {
        schema(at + "[]", part.getItems(), depth + 1);
      }
      if (part.getAnyOf() != null) {
        for (int i = 0; i < part.getAnyOf().size(); i++) {
          schema(at + " anyOf" + i, part.getAnyOf().get(i), depth + 1);
        }
      }
      if (part.getOneOf() != null) {
        for (int i = 0; i < part.getOneOf().size(); i++) {
          schema(at + " oneOf" + i, part.getOneOf().get(i), depth + 1);
        }
      }
    }
    required.forEach(r -> fact.accept("requires " + r));
    properties.forEach((name, property) -> {
      fact.accept("property " + name);
      schema(at + "." + name, property, depth + 1);
    });
  }

  /** allOf members are one schema to a client, whether a document splits them or not. */
  private static List<Schema<?>> flatten(Schema<?> schema) {
    List<Schema<?>> parts = new ArrayList<>();
    parts.add(schema);
    if (schema.getAllOf() != null) {
      schema.getAllOf().forEach(member -> parts.addAll(flatten(member)));
    }
    return parts;
  }

  private void constraints(Consumer<String> fact, Schema<?> s) {
    put(fact, "type", s.getType());
    put(fact, "format", s.getFormat());
    put(fact, "pattern", s.getPattern());
    put(fact, "enum", s.getEnum());
    put(fact, "minLength", s.getMinLength());
    put(fact, "maxLength", s.getMaxLength());
    put(fact, "minimum", s.getMinimum());
    put(fact, "maximum", s.getMaximum());
    put(fact, "minProperties", s.getMinProperties());
    put(fact, "minItems", s.getMinItems());
    put(fact, "maxItems", s.getMaxItems());
    put(fact, "default", s.getDefault());
    put(fact, "nullable", s.getNullable());
    put(fact, "writeOnly", s.getWriteOnly());
    put(fact, "additionalProperties", s.getAdditionalProperties() instanceof Boolean b ? b : null);
    put(fact, "description", s.getDescription());
  }

  private static void put(Consumer<String> fact, String name, Object value) {
    if (value != null) {
      fact.accept(name + "=" + oneLine(value));
    }
  }

  /** One fact a line, whatever the text holds. */
  private static String oneLine(Object value) {
    return String.valueOf(value).replace("\\", "\\\\").replace("\n", "\\n");
  }

  private void text(String prefix, Object value) {
    if (value != null) {
      facts.add(prefix + "=" + oneLine(value));
    }
  }
}
