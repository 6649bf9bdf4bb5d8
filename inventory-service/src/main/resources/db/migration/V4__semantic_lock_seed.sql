-- Products under a semantic lock (ADR 44), with plenty of stock: LOCKED-0001..LOCKED-0100. The orchestration flow
-- holds their stock as PENDING until the order is final, so an order for one of them costs the lock's extra step;
-- load-tests/request-cpu.py prices it against the same order for SKU-nnnn. Identical in the cockroach stand-in database.
INSERT INTO product (sku, name, price, initial_stock, available, semantic_lock)
SELECT 'LOCKED-' || lpad(n::text, 4, '0'), 'Locked product ' || lpad(n::text, 4, '0'), 10.00, 1000000, 1000000, true
FROM generate_series(1, 100) AS n;
