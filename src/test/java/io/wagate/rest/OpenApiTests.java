package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.wagate.service.DomainException;
import io.wagate.support.Api;

/** The served document is valid OpenAPI 3, lists every route of docs/API.md (sections 1.3, 2 and 3), and describes every error. */
@QuarkusTest
class OpenApiTests {
  /** docs/API.md's route tables, one row per method and path. */
  static final List<String[]> ROUTES = List.of(
      new String[] {"POST", "/api/instance/new"},
      new String[] {"GET", "/api/instance/connect/{instance}"},
      new String[] {"POST", "/api/instance/reconnect/{instance}"},
      new String[] {"GET", "/api/instance/list"},
      new String[] {"DELETE", "/api/instance/logout/{instance}"},
      new String[] {"DELETE", "/api/instance/delete/{instance}"},
      new String[] {"GET", "/api/instance/getSettings/{instance}"},
      new String[] {"POST", "/api/instance/settings/{instance}"},
      new String[] {"GET", "/api/instance/getProxy/{instance}"},
      new String[] {"POST", "/api/instance/proxy/{instance}"},
      new String[] {"GET", "/api/instance/getS3/{instance}"},
      new String[] {"POST", "/api/instance/s3/{instance}"},
      new String[] {"POST", "/api/events/webhook/{instance}"},
      new String[] {"GET", "/api/events/getWebhook/{instance}"},
      new String[] {"GET", "/api/events/webhook/{instance}"},
      new String[] {"POST", "/api/events/websocket/{instance}"},
      new String[] {"GET", "/api/events/getWebsocket/{instance}"},
      new String[] {"GET", "/api/events/timeline/{instance}"},
      new String[] {"GET", "/api/events/deliveries/{instance}"},
      new String[] {"POST", "/api/events/redeliver/{instance}/{eventId}"},
      new String[] {"POST", "/api/events/test/{instance}"},
      new String[] {"GET", "/ws/{instance}"},
      new String[] {"GET", "/ws"},
      new String[] {"POST", "/api/admin/accounts"},
      new String[] {"GET", "/api/admin/accounts"},
      new String[] {"POST", "/api/message/text/{instance}"},
      new String[] {"POST", "/api/chat/markRead/{instance}"},
      new String[] {"POST", "/api/message/reaction/{instance}"}, new String[] {"POST", "/api/message/media/{instance}"});

  static OpenAPI api;
  static String served;

  /** Parsed once; not in a static @BeforeAll, where RestAssured does not know the test port yet. */
  @BeforeEach
  void parse() {
    if (api != null) {
      return;
    }
    String json = served = Api.ops().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
    assertThat(result.getMessages()).as("validation messages").isEmpty();
    api = result.getOpenAPI();
    assertThat(api).isNotNull();
  }

  @Test
  void everyRouteOfTheSpecIsDescribed() {
    for (String[] route : ROUTES) {
      assertThat(operation(route[0], route[1])).as(route[0] + " " + route[1]).isNotNull();
    }
    long operations = api.getPaths().values().stream().mapToLong(p -> p.readOperations().size()).sum();
    assertThat(operations).as("no undocumented extra operations").isEqualTo(ROUTES.size());
  }

  @Test
  void everyErrorUsesTheEnvelopeWithAnExample() {
    for (String[] route : ROUTES) {
      Operation op = operation(route[0], route[1]);
      assertThat(op.getResponses()).as(route[1]).containsKey("429");
      op.getResponses().forEach((code, response) -> {
        if (code.startsWith("4") || code.startsWith("5")) {
          MediaType json = resolve(response).getContent().get("application/json");
          assertThat(json).as(route[1] + " " + code).isNotNull();
          assertThat(json.getSchema().get$ref()).as(route[1] + " " + code).endsWith("/ErrorEnvelope");
          assertThat(json.getExample() != null || (json.getExamples() != null && !json.getExamples().isEmpty())).as(route[1] + " " + code + " example").isTrue();
        }
      });
      boolean success = op.getResponses().keySet().stream().anyMatch(c -> c.startsWith("2") || c.equals("101"));
      assertThat(success).as(route[1] + " success response").isTrue();
    }
  }

  @Test
  void literalMessagesAndSecuritySchemes() {
    assertThat(api.getComponents().getSecuritySchemes()).containsKeys("tokenHeader", "bearer", "tokenQuery", "adminToken");
    assertThat(api.getSecurity()).hasSize(3);
    Map<String, Object> example = exampleMessage("POST", "/api/instance/reconnect/{instance}", "400");
    assertThat(example).containsEntry("message", DomainException.NO_SAVED_SESSION_MESSAGE);
    assertThat(exampleMessage("GET", "/api/instance/connect/{instance}", "500"))
        .containsEntry("message", "Failed to connect: timed out waiting for QR code");
    assertThat(exampleMessage("GET", "/api/instance/list", "429")).containsEntry("message", "Rate limit exceeded. Try again later.");
    assertThat(api.getComponents().getSchemas().get("ErrorEnvelope").getRequired()).containsExactlyInAnyOrder("success", "error");
    assertThat(api.getComponents().getSchemas().get("CreateInstanceRequest").getRequired()).containsExactly("name");
  }

  /**
   * Issue 11: whether written by hand or generated from the resources and records, the document states every fact of the
   * reference (operations, parameters, constraints, statuses with descriptions and literal messages, security schemes).
   */
  @Test
  void asCompleteAsTheReference() throws java.io.IOException {
    List<String> reference;
    try (var in = OpenApiTests.class.getResourceAsStream("/openapi-facts.txt")) {
      reference = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }
    assertThat(reference).as("reference facts").hasSizeGreaterThan(3000);
    assertThat(OpenApiFacts.of(served)).as("facts of the served document").containsAll(reference);
  }

  /** Issue 12 item 7: what the server enforces is stated, so that schema-driven clients and fuzzers agree with it. */
  @Test
  void constraintsTheServerEnforcesAreStated() {
    var schemas = api.getComponents().getSchemas();
    assertThat(requiredUnlessDisabled(schemas.get("ProxyRequest"))).containsExactlyInAnyOrder("host", "port", "protocol");
    String port = ((io.swagger.v3.oas.models.media.Schema<?>) schemas.get("ProxyRequest").getProperties().get("port")).getPattern();
    assertThat(List.of("1", "80", "01080", "65535")).allMatch(p -> p.matches(port));
    assertThat(List.of("0", "00000", "65536", "99999", "123456", "")).noneMatch(p -> p.matches(port));
    assertThat(requiredUnlessDisabled(schemas.get("WebhookRequest"))).containsExactly("url");
    assertThat(schemas.get("S3Request").getRequired()).containsExactly("enabled");
    assertThat(schemas.get("WebhookView").getProperties()).containsKey("authorization").doesNotContainKey("secret");
    var number = operation("GET", "/api/instance/connect/{instance}").getParameters().stream().filter(p -> "number".equals(p.getName())).findFirst()
        .orElseThrow();
    assertThat(number.getSchema().getPattern()).isEqualTo("^[0-9]{8,15}$");
    assertThat(operation("GET", "/ws/{instance}").getResponses()).containsKey("426");
    // every pattern compiles and is anchored, as the server's checks are
    for (io.swagger.v3.oas.models.media.Schema<?> schema : schemas.values()) {
      Map<String, io.swagger.v3.oas.models.media.Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
      for (io.swagger.v3.oas.models.media.Schema<?> property : properties.values()) {
        String pattern = property.getPattern();
        if (pattern != null) {
          assertThat(java.util.regex.Pattern.compile(pattern).pattern()).as(schema.getName()).startsWith("^").endsWith("$");
        }
      }
    }
  }

  /** The fields an {@code anyOf: [{enabled: false}, {required: [...]}]} requires when the block is not disabled. */
  static List<String> requiredUnlessDisabled(io.swagger.v3.oas.models.media.Schema<?> schema) {
    assertThat(schema.getAnyOf()).as(schema.getName() + " anyOf").hasSize(2);
    assertThat(schema.getAnyOf().get(0).getRequired()).containsExactly("enabled");
    return schema.getAnyOf().get(1).getRequired();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> exampleMessage(String method, String path, String code) {
    Object example = resolve(operation(method, path).getResponses().get(code)).getContent().get("application/json").getExample();
    return (Map<String, Object>) ((Map<String, Object>) toMap(example)).get("error");
  }

  @SuppressWarnings("unchecked")
  static Object toMap(Object example) {
    return example instanceof Map ? example : new com.fasterxml.jackson.databind.ObjectMapper().convertValue(example, Map.class);
  }

  static ApiResponse resolve(ApiResponse response) {
    String ref = response.get$ref();
    return ref == null ? response : api.getComponents().getResponses().get(ref.substring(ref.lastIndexOf('/') + 1));
  }

  static Operation operation(String method, String path) {
    PathItem item = api.getPaths().get(path);
    if (item == null) {
      return null;
    }
    return item.readOperationsMap().get(PathItem.HttpMethod.valueOf(method));
  }
}
