package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wagate.DesiredState;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.mapping.InstanceMapper;
import io.wagate.mapping.Views;
import io.wagate.service.CreatedInstance;

/**
 * The typed bodies written as JSON, byte for byte: key order as docs/API.md shows it, nulls written inside a block,
 * optional blocks of the create answer left out when the request did not have them.
 */
class BodyShapeTests {
  static final ObjectMapper JSON = new ObjectMapper();

  static final Instance INSTANCE = new Instance(UUID.fromString("00000000-0000-0000-0000-000000000001"), UUID.randomUUID(), "shop", "enc",
      OffsetDateTime.of(2026, 11, 25, 10, 0, 0, 0, ZoneOffset.UTC), DesiredState.RUNNING, InstanceState.CONNECTED, null,
      "5511999999999:3@s.whatsapp.net", null, null, OffsetDateTime.of(2026, 11, 25, 10, 1, 2, 0, ZoneOffset.ofHours(-3)), 0,
      Instance.Settings.DEFAULTS, Instance.Proxy.NONE, Instance.S3.NONE);

  @Test
  void createWithoutBlocksHasOnlyTheInstanceAndToken() throws JsonProcessingException {
    CreatedInstance created = new CreatedInstance("shop", "t0k", new CreatedInstance.Blocks(null, null, null, null, null, false));
    assertThat(JSON.writeValueAsString(InstanceBodies.Created.of(created))).isEqualTo(
        "{\"success\":true,\"message\":\"Instance created\",\"instance\":{\"name\":\"shop\",\"token\":\"t0k\",\"status\":\"disconnected\"},"
            + "\"data\":{\"token\":\"t0k\"}}");
  }

  @Test
  void createWithBlocksKeepsTheirOrderAndTheirNulls() throws JsonProcessingException {
    CreatedInstance created = new CreatedInstance("shop", "t0k", new CreatedInstance.Blocks(null, InstanceMapper.proxy(Instance.Proxy.NONE),
        InstanceMapper.s3(Instance.S3.NONE), new Views.CreatedWebhook("default", false, null, false, List.of(), false), null, true));
    assertThat(JSON.writeValueAsString(InstanceBodies.Created.of(created))).isEqualTo(
        "{\"success\":true,\"message\":\"Instance created\",\"instance\":{\"name\":\"shop\",\"token\":\"t0k\",\"status\":\"disconnected\"},"
            + "\"data\":{\"token\":\"t0k\"},"
            + "\"proxy\":{\"enabled\":false,\"host\":null,\"port\":null,\"protocol\":null,\"username\":null},"
            + "\"s3\":{\"enabled\":false,\"region\":null,\"bucket\":null,\"accessKey\":null,\"endpoint\":null,\"pathPrefix\":null},"
            + "\"webhook\":{\"label\":\"default\",\"enabled\":false,\"url\":null,\"byEvents\":false,\"events\":[],\"mediaBase64\":false},"
            + "\"chatwoot\":{\"status\":\"error\",\"error\":\"integration gateway not configured\"}}");
  }

  @Test
  void getS3HasTheSecretKeyFieldAlwaysNullAndNoMessage() throws JsonProcessingException {
    Instance.S3 s3 = new Instance.S3(true, "eu", "b", "ak", "secret-enc", null, "p/");
    assertThat(JSON.writeValueAsString(ConfigBodies.S3Read.of(InstanceMapper.s3Stored(s3)))).isEqualTo(
        "{\"success\":true,\"s3\":{\"enabled\":true,\"region\":\"eu\",\"bucket\":\"b\",\"accessKey\":\"ak\",\"secretKey\":null,\"endpoint\":null,"
            + "\"pathPrefix\":\"p/\"}}");
  }

  @Test
  void listItemInTheDocumentedOrder() throws JsonProcessingException {
    Views.ListItem item = InstanceMapper.listItem(INSTANCE, "t0k", new Views.WebhookFlag("default", true), InstanceMapper.websocket(false, List.of(), false));
    assertThat(JSON.writeValueAsString(InstanceBodies.Listing.of(List.of(item)))).isEqualTo(
        "{\"success\":true,\"message\":\"1 Instance found\",\"instances\":[{\"name\":\"shop\",\"token\":\"t0k\",\"createdAt\":\"2026-11-25T10:00:00Z\","
            + "\"connection\":{\"state\":\"connected\",\"numberJid\":\"5511999999999@s.whatsapp.net\",\"presenceStatus\":\"available\","
            + "\"displayStatus\":\"Connected\",\"lastError\":null,\"since\":\"2026-11-25T13:01:02Z\"},"
            + "\"profile\":{\"name\":\"\",\"pictureUrl\":\"\",\"isBusiness\":false,\"businessName\":\"\"},"
            + "\"webhook\":{\"label\":\"default\",\"enabled\":true},\"websocket\":{\"enabled\":false,\"events\":[],\"mediaBase64\":false},"
            + "\"proxy\":{\"enabled\":false,\"host\":null,\"port\":null,\"protocol\":null,\"username\":null},"
            + "\"settings\":{\"autoRejectCalls\":false,\"callRejectMessage\":\"\",\"ignoreGroupMessages\":false,\"keepOnlineStatus\":false,"
            + "\"autoReadMessages\":false,\"disableHistorySync\":true,\"ignoreStatus\":false},\"s3\":{\"enabled\":false}}]}");
    assertThat(InstanceBodies.Listing.of(List.of(item, item)).message()).isEqualTo("2 Instances found");
  }

  @Test
  void accountsAndTheErrorEnvelope() throws JsonProcessingException {
    Views.CreatedAccount account = new Views.CreatedAccount("id-1", "acme", 10, 100, "t0k");
    assertThat(JSON.writeValueAsString(AccountBodies.Created.of(account))).isEqualTo(
        "{\"success\":true,\"message\":\"Account created\",\"account\":{\"id\":\"id-1\",\"name\":\"acme\",\"instanceQuota\":10,\"rateLimitPerMinute\":100,"
            + "\"token\":\"t0k\"}}");
    assertThat(AccountBodies.Accounts.of(List.of()).message()).isEqualTo("0 Accounts found");
    assertThat(JSON.writeValueAsString(ErrorBody.of("Invalid token"))).isEqualTo(ErrorBody.json("Invalid token"))
        .isEqualTo("{\"success\":false,\"error\":{\"message\":\"Invalid token\"}}");
  }
}
