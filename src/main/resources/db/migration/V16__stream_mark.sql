-- How far each sidecar process's event stream is stored, written in the transaction that stores each batch. A
-- restarted gateway subscribes without a position and the sidecar replays its whole buffer; what this row covers was
-- stored by an earlier gateway process and is skipped, so a gateway restart records no state change twice. Rows of
-- boots not written for a day are removed by the writes.
CREATE TABLE stream_mark (
    boot_id   text PRIMARY KEY,
    seq       bigint      NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
);
