-- Every HTTP attempt of a webhook delivery (the console's delivery log): webhook_delivery keeps only the last status and
-- error. Written in the same statement that records the attempt on its delivery row, and pruned with it.
CREATE TABLE webhook_attempt (
    id           bigserial PRIMARY KEY,
    delivery_id  bigint      NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
    attempt      integer     NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    http_status  integer,
    latency_ms   integer,
    error        text
);

CREATE INDEX webhook_attempt_delivery_idx ON webhook_attempt (delivery_id);
CREATE INDEX webhook_delivery_instance_idx ON webhook_delivery (instance_id, id);
