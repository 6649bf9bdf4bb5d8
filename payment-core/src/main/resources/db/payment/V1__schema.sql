-- Payment: customer accounts and one payment per order.
--
-- Money conservation is auditable at any time: for every account
--     initial_balance = balance + sum(amount of its payments whose status is AUTHORIZED)
-- (view money_conservation shows the discrepancy per customer; it must be 0 everywhere). initial_balance never
-- changes: there are no top-ups, so every cent is either in the account or held by exactly one AUTHORIZED payment.

CREATE TABLE account (
    customer_id     varchar(64)   PRIMARY KEY,
    initial_balance numeric(14,2) NOT NULL CHECK (initial_balance >= 0),
    -- The last line of defence against overdrawing; the service also guards every debit in SQL.
    balance         numeric(14,2) NOT NULL CHECK (balance >= 0),
    -- A refund that credited twice would push an account above its initial balance.
    CHECK (balance <= initial_balance)
);

-- One row per order that payment has heard of. AUTHORIZED holds money, DECLINED never took any (reason says why),
-- REFUNDED gave it back - or is a tombstone (no customer, amount 0) written when a refund arrived before the
-- authorization, so that the late authorization is refused.
CREATE TABLE payment (
    order_id    uuid          PRIMARY KEY,
    customer_id varchar(64),
    amount      numeric(14,2) NOT NULL CHECK (amount >= 0),
    status      varchar(16)   NOT NULL CHECK (status IN ('AUTHORIZED', 'DECLINED', 'REFUNDED')),
    reason      varchar(32)   CHECK (reason IN ('INSUFFICIENT_FUNDS', 'UNKNOWN_CUSTOMER')),
    created_at  timestamptz   NOT NULL DEFAULT now(),
    refunded_at timestamptz,
    CHECK ((status = 'DECLINED') = (reason IS NOT NULL)),
    CHECK ((status = 'REFUNDED') = (refunded_at IS NOT NULL)),
    CHECK (customer_id IS NOT NULL OR (status = 'REFUNDED' AND amount = 0))
);

CREATE VIEW money_conservation AS
SELECT a.customer_id,
       a.initial_balance,
       a.balance,
       coalesce(held.amount, 0)                                 AS authorized,
       a.initial_balance - a.balance - coalesce(held.amount, 0) AS discrepancy
FROM account a
LEFT JOIN (SELECT customer_id, sum(amount) AS amount
           FROM payment
           WHERE status = 'AUTHORIZED'
           GROUP BY customer_id) held ON held.customer_id = a.customer_id;
