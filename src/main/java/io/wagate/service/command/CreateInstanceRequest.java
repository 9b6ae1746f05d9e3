package io.wagate.service.command;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.EventName;
import io.wagate.security.TokenRules;
import io.wagate.service.InstanceService;

/** Body of POST /api/instance/new: the name plus flat, optional inline blocks. Chatwoot fields are read and ignored. */
@RegisterForReflection // bound by Jackson through reflection in the native image
@Schema(name = "CreateInstanceRequest")
public record CreateInstanceRequest(
    @Schema(required = true, pattern = Patterns.INSTANCE_NAME) String name,
    @Schema(minLength = TokenRules.MIN_LENGTH, maxLength = 256, pattern = Patterns.NO_NUL, description = "The caller's own TokenInstance (generated when "
        + "absent); shorter than " + TokenRules.MIN_LENGTH + " characters is refused with 400 " + InstanceService.TOKEN_TOO_SHORT) String token,
    Boolean proxyEnabled, @Schema(pattern = Patterns.NO_NUL) String proxyHost, @Schema(pattern = "^[0-9]{1,5}$") String proxyPort,
    @Schema(enumeration = {"http", "https", "socks5"}) String proxyProtocol, @Schema(pattern = Patterns.NO_NUL) String proxyUsername,
    @Schema(pattern = Patterns.NO_NUL, writeOnly = true) String proxyPassword,
    Boolean webhookEnabled, @JsonProperty("webhookURL") @Schema(format = "uri") String webhookUrl, @Schema(pattern = Patterns.NO_NUL) String webhookAuthorization,
    Boolean webhookByEvents, @Schema(type = SchemaType.ARRAY, implementation = EventName.class) List<String> webhookEvents, Boolean webhookMediaBase64,
    Boolean websocketEnabled, @Schema(type = SchemaType.ARRAY, implementation = EventName.class) List<String> websocketEvents, Boolean websocketMediaBase64,
    Boolean autoRejectCalls, @Schema(pattern = Patterns.NO_NUL) String callRejectMessage, Boolean ignoreGroupMessages, Boolean keepOnlineStatus,
    Boolean autoReadMessages, Boolean disableHistorySync, Boolean ignoreStatus,
    Boolean s3Enabled, @Schema(pattern = Patterns.NO_NUL) String s3Region, @Schema(pattern = Patterns.NO_NUL) String s3Bucket,
    @Schema(pattern = Patterns.NO_NUL) String s3AccessKey, @Schema(pattern = Patterns.NO_NUL, writeOnly = true) String s3SecretKey,
    @Schema(pattern = Patterns.NO_NUL) String s3Endpoint, @Schema(pattern = Patterns.NO_NUL) String s3PathPrefix,
    @Schema(description = "Accepted and ignored (reported as an error block)") Boolean chatwootEnabled) {

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
