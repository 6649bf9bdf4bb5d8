-- The same catalogue and customers as inventory-service and payment-service (their V2__seed.sql):
-- SKU-0001..SKU-1000 with plenty of stock, SOLDOUT-01..10 with none, HOT-01 with 100 units for contention runs;
-- C-0001..C-1000 with a large balance, BROKE-01..10 with nothing. The column alias g(n) is spelled out because
-- CockroachDB and PostgreSQL name a set-returning function's column differently.
INSERT INTO product (sku, name, price, initial_stock, available)
SELECT 'SKU-' || lpad(n::text, 4, '0'), 'Product ' || lpad(n::text, 4, '0'), 10.00 + (n % 90), 1000000, 1000000
FROM generate_series(1, 1000) AS g(n);

INSERT INTO product (sku, name, price, initial_stock, available)
SELECT 'SOLDOUT-' || lpad(n::text, 2, '0'), 'Sold-out product ' || lpad(n::text, 2, '0'), 10.00, 0, 0
FROM generate_series(1, 10) AS g(n);

INSERT INTO product (sku, name, price, initial_stock, available)
VALUES ('HOT-01', 'Hot product 01', 10.00, 100, 100);

INSERT INTO account (customer_id, initial_balance, balance)
SELECT 'C-' || lpad(n::text, 4, '0'), 1000000.00, 1000000.00
FROM generate_series(1, 1000) AS g(n);

INSERT INTO account (customer_id, initial_balance, balance)
SELECT 'BROKE-' || lpad(n::text, 2, '0'), 0.00, 0.00
FROM generate_series(1, 10) AS g(n);
