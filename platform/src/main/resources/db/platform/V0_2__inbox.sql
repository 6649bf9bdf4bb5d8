-- Events a consumer has already applied (choreography and outbox flows). The listener inserts the event id with
-- INSERT ... ON CONFLICT DO NOTHING in the same local transaction as its effect: a redelivered or replayed event
-- finds its row and changes nothing; a transaction that rolled back left no row, so the redelivery is applied.
-- Keyed by (consumer, event_id) so that two listeners of one service could consume the same event independently.
CREATE TABLE inbox (
    consumer    text        NOT NULL,
    event_id    uuid        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
