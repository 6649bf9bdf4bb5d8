-- The customers every scenario uses (identical in the cockroach stand-in database):
-- C-0001..C-1000 with a large balance, BROKE-01..10 with nothing (payment-declined scenarios).
INSERT INTO account (customer_id, initial_balance, balance)
SELECT 'C-' || lpad(n::text, 4, '0'), 1000000.00, 1000000.00
FROM generate_series(1, 1000) AS n;

INSERT INTO account (customer_id, initial_balance, balance)
SELECT 'BROKE-' || lpad(n::text, 2, '0'), 0.00, 0.00
FROM generate_series(1, 10) AS n;
