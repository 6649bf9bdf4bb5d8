-- Idempotency keys of the requests this service accepted (io.txlab.platform.idempotency.IdempotencyKeys).
-- scope separates operations (e.g. 'place-order', 'reserve'); fingerprint is the SHA-256 of the canonical request.
CREATE TABLE idempotency_key (
    scope           text        NOT NULL,
    idempotency_key text        NOT NULL,
    fingerprint     text        NOT NULL,
    resource_id     text,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
