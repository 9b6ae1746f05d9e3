package io.wagate.service.command;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.Instance;

/** Partial settings update: absent fields keep their value. */
@RegisterForReflection // bound by Jackson through reflection in the native image
public record SettingsRequest(Boolean autoRejectCalls, String callRejectMessage, Boolean ignoreGroupMessages, Boolean keepOnlineStatus,
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
