-- The catalogue every scenario uses (identical in the cockroach stand-in database):
-- SKU-0001..SKU-1000 with plenty of stock, SOLDOUT-01..10 with none, HOT-01 with 100 units for contention runs.
INSERT INTO product (sku, name, price, initial_stock, available)
SELECT 'SKU-' || lpad(n::text, 4, '0'), 'Product ' || lpad(n::text, 4, '0'), 10.00 + (n % 90), 1000000, 1000000
FROM generate_series(1, 1000) AS n;

INSERT INTO product (sku, name, price, initial_stock, available)
SELECT 'SOLDOUT-' || lpad(n::text, 2, '0'), 'Sold-out product ' || lpad(n::text, 2, '0'), 10.00, 0, 0
FROM generate_series(1, 10) AS n;

INSERT INTO product (sku, name, price, initial_stock, available)
VALUES ('HOT-01', 'Hot product 01', 10.00, 100, 100);
