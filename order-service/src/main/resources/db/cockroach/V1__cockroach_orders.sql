-- The cockroach flow's database holds the whole order: the order tables (order-service db/order), the inventory
-- core's (db/inventory) and the payment core's (db/payment), created from those same files (CockroachSchema), and
-- the idempotency keys (platform db/platform V0_1). This is the only table change of its own.
--
-- An order here is final when its transaction commits (CONFIRMED with its reservation and payment, or CANCELLED with
-- a reason in a transaction that changed nothing else), never PENDING; retries = how many times the placing
-- transaction was retried after a serialization failure (SQLSTATE 40001).
ALTER TABLE purchase_order
    ADD COLUMN retries integer NOT NULL DEFAULT 0 CHECK (retries >= 0),
    ADD CONSTRAINT purchase_order_cockroach_only CHECK (flow = 'cockroach' AND status <> 'PENDING');
