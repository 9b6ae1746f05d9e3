-- Inbound durability: the sidecar publishes a message or receipt again until the gateway confirms it stored it, and
-- WhatsApp may deliver one again after a crash. The sidecar names each stanza with a dedupe key; the log keeps the
-- first event per (instance, key), so each is stored once. Events without a key (lifecycle events, the echo of a
-- send) are not affected.
ALTER TABLE instance_event ADD COLUMN dedupe_key text;
CREATE UNIQUE INDEX instance_event_dedupe_idx ON instance_event (instance_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
