package io.wagate.config;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Flags must be JSON booleans: `"enabled": 12` is a client mistake (400), not "true". A string holding NUL is one too:
 * PostgreSQL cannot store it, so it would surface as a failed query (500) instead of a 400.
 */
@Singleton
public class JsonConfig implements ObjectMapperCustomizer {
  @Override
  public void customize(ObjectMapper mapper) {
    mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper.registerModule(new SimpleModule("wagate-strings").addDeserializer(String.class, new NoNulStrings()));
  }

  /** Jackson's own string deserializer, refusing NUL. */
  static final class NoNulStrings extends StdScalarDeserializer<String> {
    NoNulStrings() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String value = StringDeserializer.instance.deserialize(p, ctxt);
      if (value != null && value.indexOf('\0') >= 0) {
        throw ctxt.weirdStringException(value, String.class, "NUL is not allowed");
      }
      return value;
    }

    @Override
    public LogicalType logicalType() {
      return LogicalType.Textual;
    }
  }
}
