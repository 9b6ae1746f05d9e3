-- A reply or a reaction names the message it refers to by its WhatsApp id; the gateway looks it up in the instance's
-- log (EventRepository.messageFromMe: the newest match). Without this index that lookup scanned the instance's whole
-- log (200,000 events: 159 ms); `id` last lets the newest match come first (0.05 ms).
CREATE INDEX instance_event_message_idx ON instance_event (instance_id, (data->>'id'), id) WHERE event = 'message.exchange';
