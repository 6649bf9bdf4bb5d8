-- Events written in the same local transaction as the business change that caused them (outbox flow), relayed to
-- Kafka by Debezium embedded (CDC) or by the polling relay, selected by txlab.outbox.relay.
-- Column names follow Debezium's outbox EventRouter: aggregatetype routes to the topic, aggregateid is the Kafka
-- key (the order id), type travels in the eventType header, payload is the JSON value (text, relayed verbatim).
-- published_at is set by the relay once Kafka acknowledged the event: the lag gauge reads the oldest unpublished
-- row, and the janitor deletes published rows after a retention. Debezium's publication carries INSERTs only, so
-- those UPDATEs and DELETEs never reach the CDC stream.
CREATE TABLE outbox (
    id            uuid        PRIMARY KEY,
    aggregatetype text        NOT NULL,
    aggregateid   text        NOT NULL,
    type          text        NOT NULL,
    payload       text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_at  timestamptz
);

-- The polling relay's work queue and the lag gauge: only unpublished rows, in creation order.
CREATE INDEX outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL;
