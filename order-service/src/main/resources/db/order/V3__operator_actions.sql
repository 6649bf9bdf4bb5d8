-- What operators did to orders through /admin/orders/{id}/... (adr/0037): one row per order and action, so repeating an
-- action changes nothing and the first operator, reason and time stay on record. RESOLVE marks a stuck order as handled
-- by hand; the stuck-order listing and its per-flow counts leave such orders out.
CREATE TABLE order_operator_action (
    order_id   uuid        NOT NULL REFERENCES purchase_order (id),
    action     text        NOT NULL,
    operator   text        NOT NULL,
    reason     text        NOT NULL,
    taken_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, action)
);
