package io.wagate;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The OpenAPI schema of an event name, for the lists the commands and views carry as strings (service/Validation checks them). */
@Schema(name = "EventName", type = SchemaType.STRING, enumeration = {"message.exchange", "message.status", "call.update", "group.flow",
    "instance.state", "label.update"})
public final class EventName {
  private EventName() {
  }
}
