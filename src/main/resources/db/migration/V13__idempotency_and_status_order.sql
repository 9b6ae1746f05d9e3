-- Idempotency-Key of the send routes (docs/MESSAGES.md): one row per (instance, key), committed before anything goes to
-- WhatsApp, so that a retry of the same request replays the stored answer, or sends again under the same WhatsApp id.
CREATE TABLE idempotency_key (
    instance_id  uuid        NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
    idem_key     text        NOT NULL,
    -- SHA-256 of the route and the parsed body: the same key with another request is refused
    fingerprint  text        NOT NULL,
    message_id   text        NOT NULL,
    -- running: a request owns the key; done: status and body are the answer to replay; retry: the last attempt failed
    -- with a 5xx, so the same request may run again
    state        text        NOT NULL CHECK (state IN ('running', 'done', 'retry')),
    status       integer,
    body         text,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    PRIMARY KEY (instance_id, idem_key)
);

-- The highest receipt emitted per (instance, message, recipient): message.status never goes backwards.
CREATE TABLE message_status (
    instance_id  uuid        NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
    message_id   text        NOT NULL,
    recipient    text        NOT NULL,
    rank         smallint    NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, message_id, recipient)
);

CREATE INDEX message_status_updated_idx ON message_status (updated_at);
