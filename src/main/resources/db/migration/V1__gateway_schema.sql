-- wagate gateway schema. The whatsmeow_* tables of the sidecar live in the same database and are not managed here.

CREATE TABLE account (
    id                    uuid PRIMARY KEY,
    name                  text        NOT NULL UNIQUE,
    token_hash            text        NOT NULL UNIQUE,
    instance_quota        integer     NOT NULL,
    rate_limit_per_minute integer     NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE instance (
    id                    uuid PRIMARY KEY,
    account_id            uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name                  text        NOT NULL,
    token_hash            text        NOT NULL UNIQUE,
    token_enc             text        NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    -- desired state, changed only by API calls
    desired_state         text        NOT NULL DEFAULT 'stopped' CHECK (desired_state IN ('running', 'stopped')),
    -- observed state
    state                 text        NOT NULL DEFAULT 'disconnected',
    event_state           text,
    jid                   text,
    push_name             text,
    last_error            text,
    since                 timestamptz,
    attempts              integer     NOT NULL DEFAULT 0,
    -- settings (RyzeAPI §2.7 defaults)
    auto_reject_calls     boolean     NOT NULL DEFAULT false,
    call_reject_message   text        NOT NULL DEFAULT '',
    ignore_group_messages boolean     NOT NULL DEFAULT false,
    keep_online_status    boolean     NOT NULL DEFAULT false,
    auto_read_messages    boolean     NOT NULL DEFAULT false,
    disable_history_sync  boolean     NOT NULL DEFAULT true,
    ignore_status         boolean     NOT NULL DEFAULT false,
    -- proxy
    proxy_enabled         boolean     NOT NULL DEFAULT false,
    proxy_host            text,
    proxy_port            text,
    proxy_protocol        text,
    proxy_username        text,
    proxy_password_enc    text,
    -- s3
    s3_enabled            boolean     NOT NULL DEFAULT false,
    s3_region             text,
    s3_bucket             text,
    s3_access_key         text,
    s3_secret_key_enc     text,
    s3_endpoint           text,
    s3_path_prefix        text,
    UNIQUE (account_id, name)
);

CREATE INDEX instance_desired_idx ON instance (desired_state);

CREATE TABLE websocket_config (
    instance_id  uuid PRIMARY KEY REFERENCES instance (id) ON DELETE CASCADE,
    enabled      boolean     NOT NULL DEFAULT false,
    events       jsonb       NOT NULL DEFAULT '[]',
    media_base64 boolean     NOT NULL DEFAULT false,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook (
    id                bigserial PRIMARY KEY,
    instance_id       uuid        NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
    label             text        NOT NULL DEFAULT 'default',
    enabled           boolean     NOT NULL DEFAULT false,
    url               text,
    authorization_enc text,
    by_events         boolean     NOT NULL DEFAULT false,
    events            jsonb       NOT NULL DEFAULT '[]',
    media_base64      boolean     NOT NULL DEFAULT false,
    secret_enc        text,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (instance_id, label)
);

-- Append-only event log; no foreign key so that events of a deleted instance are still delivered.
CREATE TABLE instance_event (
    id            bigserial PRIMARY KEY,
    instance_id   uuid        NOT NULL,
    account_id    uuid        NOT NULL,
    instance_name text        NOT NULL,
    state         text        NOT NULL,
    data          jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX instance_event_instance_idx ON instance_event (instance_id, id);
CREATE INDEX instance_event_account_idx ON instance_event (account_id, id);
