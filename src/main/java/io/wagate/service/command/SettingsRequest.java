package io.wagate.service.command;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.Instance;

/** Partial settings update: absent fields keep their value. */
@RegisterForReflection // bound by Jackson through reflection in the native image
@Schema(name = "SettingsRequest", description = "Partial update; at least one field", minProperties = 1)
public record SettingsRequest(Boolean autoRejectCalls, @Schema(pattern = Patterns.NO_NUL, description = Patterns.NO_NUL_TEXT) String callRejectMessage,
    Boolean ignoreGroupMessages, Boolean keepOnlineStatus,
    Boolean autoReadMessages, Boolean disableHistorySync, Boolean ignoreStatus) {

  public boolean hasAny() {
    return autoRejectCalls != null || callRejectMessage != null || ignoreGroupMessages != null || keepOnlineStatus != null || autoReadMessages != null
        || disableHistorySync != null || ignoreStatus != null;
  }

  public Instance.Settings applyTo(Instance.Settings s) {
    return new Instance.Settings(or(autoRejectCalls, s.autoRejectCalls()), callRejectMessage != null ? callRejectMessage : s.callRejectMessage(),
        or(ignoreGroupMessages, s.ignoreGroupMessages()), or(keepOnlineStatus, s.keepOnlineStatus()), or(autoReadMessages, s.autoReadMessages()),
        or(disableHistorySync, s.disableHistorySync()), or(ignoreStatus, s.ignoreStatus()));
  }

  private static boolean or(Boolean value, boolean current) {
    return value != null ? value : current;
  }
}
