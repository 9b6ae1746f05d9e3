-- Event log ordering, webhook outbox and the one append function used by the gateway (and by bench/webhooks).

ALTER TABLE instance_event ADD COLUMN event text NOT NULL DEFAULT 'instance.state';
CREATE INDEX instance_event_created_idx ON instance_event (created_at);

-- One row per (event, enabled webhook whose filter matches), written in the transaction of the event. The target,
-- credentials and the instance token are copied so that deliveries outlive a deleted instance or a changed webhook.
CREATE TABLE webhook_delivery (
    id                bigserial PRIMARY KEY,
    webhook_id        bigint      NOT NULL,
    instance_id       uuid        NOT NULL,
    event_id          bigint      NOT NULL,
    url               text        NOT NULL,
    by_events         boolean     NOT NULL DEFAULT false,
    authorization_enc text,
    secret_enc        text,
    token_enc         text,
    status            text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'rejected', 'dead')),
    attempts          integer     NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz NOT NULL DEFAULT now(),
    leased_until      timestamptz,
    lease_owner       text,
    last_status       integer,
    last_error        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz
);

CREATE INDEX webhook_delivery_pending_idx ON webhook_delivery (webhook_id, id) WHERE status = 'pending';
CREATE INDEX webhook_delivery_event_idx ON webhook_delivery (event_id);
CREATE INDEX webhook_delivery_finished_idx ON webhook_delivery (finished_at) WHERE status <> 'pending';

-- Appends one event. The transaction-scoped advisory lock serialises appends until commit, so ids become visible in
-- id order (a reader that saw id N has seen every id below N): `?since` resume and the live fan-out, which both read
-- "id > last", can never skip an event that commits late with a lower id. The lock is held only for the tail of the
-- caller's transaction (this insert, the outbox rows, commit).
CREATE FUNCTION wagate_append_event(p_instance uuid, p_account uuid, p_name text, p_event text, p_state text, p_data jsonb)
    RETURNS bigint
    LANGUAGE plpgsql AS
$$
DECLARE
    new_id bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(7761001);
    INSERT INTO instance_event (instance_id, account_id, instance_name, event, state, data)
    VALUES (p_instance, p_account, p_name, p_event, p_state, p_data)
    RETURNING id INTO new_id;
    INSERT INTO webhook_delivery (webhook_id, instance_id, event_id, url, by_events, authorization_enc, secret_enc, token_enc)
    SELECT w.id, p_instance, new_id, w.url, w.by_events, w.authorization_enc, w.secret_enc, i.token_enc
    FROM webhook w
             LEFT JOIN instance i ON i.id = w.instance_id
    WHERE w.instance_id = p_instance
      AND w.enabled
      AND w.url IS NOT NULL
      AND (jsonb_array_length(w.events) = 0 OR w.events ? p_event)
    ORDER BY w.id;
    PERFORM pg_notify('wagate_events', new_id::text);
    RETURN new_id;
END
$$;
