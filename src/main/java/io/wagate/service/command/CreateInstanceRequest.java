package io.wagate.service.command;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of POST /api/instance/new: the name plus flat, optional inline blocks. Chatwoot fields are read and ignored. */
@RegisterForReflection // bound by Jackson through reflection in the native image
public record CreateInstanceRequest(
    String name, String token,
    Boolean proxyEnabled, String proxyHost, String proxyPort, String proxyProtocol, String proxyUsername, String proxyPassword,
    Boolean webhookEnabled, @JsonProperty("webhookURL") String webhookUrl, String webhookAuthorization, Boolean webhookByEvents,
    List<String> webhookEvents, Boolean webhookMediaBase64,
    Boolean websocketEnabled, List<String> websocketEvents, Boolean websocketMediaBase64,
    Boolean autoRejectCalls, String callRejectMessage, Boolean ignoreGroupMessages, Boolean keepOnlineStatus, Boolean autoReadMessages,
    Boolean disableHistorySync, Boolean ignoreStatus,
    Boolean s3Enabled, String s3Region, String s3Bucket, String s3AccessKey, String s3SecretKey, String s3Endpoint, String s3PathPrefix,
    Boolean chatwootEnabled) {

  public boolean hasProxy() {
    return proxyEnabled != null || proxyHost != null || proxyPort != null || proxyProtocol != null || proxyUsername != null || proxyPassword != null;
  }

  public boolean hasWebhook() {
    return webhookEnabled != null || webhookUrl != null || webhookAuthorization != null || webhookByEvents != null || webhookEvents != null
        || webhookMediaBase64 != null;
  }

  public boolean hasWebsocket() {
    return websocketEnabled != null || websocketEvents != null || websocketMediaBase64 != null;
  }

  public boolean hasSettings() {
    return settings().hasAny();
  }

  public SettingsRequest settings() {
    return new SettingsRequest(autoRejectCalls, callRejectMessage, ignoreGroupMessages, keepOnlineStatus, autoReadMessages, disableHistorySync, ignoreStatus);
  }

  public boolean hasS3() {
    return s3Enabled != null || s3Region != null || s3Bucket != null || s3AccessKey != null || s3SecretKey != null || s3Endpoint != null
        || s3PathPrefix != null;
  }

  public ProxyRequest proxy() {
    return new ProxyRequest(proxyEnabled, proxyHost, proxyPort, proxyProtocol, proxyUsername, proxyPassword);
  }

  public S3Request s3() {
    return new S3Request(s3Enabled, s3Region, s3Bucket, s3AccessKey, s3SecretKey, s3Endpoint, s3PathPrefix);
  }
}
