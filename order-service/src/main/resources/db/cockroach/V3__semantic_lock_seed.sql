-- The same products under a semantic lock as inventory-service's V4__semantic_lock_seed.sql (ADR 44). The cockroach
-- flow runs the whole order as one transaction and never holds stock as pending, so the flag changes nothing here.
INSERT INTO product (sku, name, price, initial_stock, available, semantic_lock)
SELECT 'LOCKED-' || lpad(n::text, 4, '0'), 'Locked product ' || lpad(n::text, 4, '0'), 10.00, 1000000, 1000000, true
FROM generate_series(1, 100) AS g(n);
