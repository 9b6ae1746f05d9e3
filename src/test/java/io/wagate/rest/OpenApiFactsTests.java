package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** OpenApiFacts reads what a document says, not how it is written: the completeness check must survive generation. */
class OpenApiFactsTests {
  private static final String HEAD = """
      openapi: 3.0.3
      info: { title: t, version: '1' }
      """;

  /** A $ref'd response and an allOf body, as a hand-written document has them. */
  private static final String WITH_REFS = HEAD + """
      paths:
        /a/{instance}:
          post:
            operationId: a
            requestBody:
              content:
                application/json:
                  schema: { $ref: '#/components/schemas/Req' }
            responses:
              '200':
                description: Done
                content:
                  application/json:
                    schema:
                      allOf:
                        - { type: object, required: [success], properties: { success: { type: boolean } } }
                        - { type: object, properties: { status: { type: string, enum: [connected] } } }
              '404': { $ref: '#/components/responses/NotFound' }
      components:
        responses:
          NotFound:
            description: No such instance
            content:
              application/json:
                schema: { type: object }
                examples:
                  one: { $ref: '#/components/examples/NotFound' }
        examples:
          NotFound: { value: { success: false, error: { message: Instance not found } } }
        schemas:
          Req:
            type: object
            required: [number]
            properties:
              number: { type: string, pattern: '^[0-9]{8,15}$', maxLength: 15 }
      """;

  /** The same contract inlined and flat, as a generator may write it. */
  private static final String INLINE = HEAD + """
      paths:
        /a/{instance}:
          post:
            operationId: a
            requestBody:
              content:
                application/json:
                  schema:
                    type: object
                    required: [number]
                    properties:
                      number: { type: string, maxLength: 15, pattern: '^[0-9]{8,15}$' }
            responses:
              '200':
                description: Done
                content:
                  application/json:
                    schema:
                      type: object
                      required: [success]
                      properties: { success: { type: boolean }, status: { type: string, enum: [connected] } }
              '404':
                description: No such instance
                content:
                  application/json:
                    schema: { type: object }
                    example: { success: false, error: { message: Instance not found } }
      """;

  @Test
  void theSameContractWrittenTwoWaysHasTheSameFacts() {
    assertThat(OpenApiFacts.of(INLINE)).isEqualTo(OpenApiFacts.of(WITH_REFS));
    assertThat(OpenApiFacts.of(WITH_REFS)).contains(
        "POST /a/{instance} operationId=a",
        "POST /a/{instance} request application/json body requires number",
        "POST /a/{instance} request application/json body.number pattern=^[0-9]{8,15}$",
        "POST /a/{instance} request application/json body.number maxLength=15",
        "POST /a/{instance} response 200 application/json body.status enum=[connected]",
        "POST /a/{instance} response 404 description=No such instance",
        "POST /a/{instance} response 404 application/json message=Instance not found");
  }

  @Test
  void aLostMessageOrConstraintIsAMissingFact() {
    var full = OpenApiFacts.of(INLINE);
    assertThat(OpenApiFacts.of(INLINE.replace("message: Instance not found", "message: Not found"))).doesNotContainAnyElementsOf(
        full.stream().filter(f -> f.endsWith("message=Instance not found")).toList());
    assertThat(OpenApiFacts.of(INLINE.replace(", pattern: '^[0-9]{8,15}$'", ""))).doesNotContain(
        "POST /a/{instance} request application/json body.number pattern=^[0-9]{8,15}$");
  }
}
