-- Inventory: the catalogue with its stock, and one reservation per order.
--
-- Stock conservation is auditable at any time: for every product
--     initial_stock = available + sum(quantity of its lines in reservations whose status is RESERVED)
-- (view stock_conservation shows the discrepancy per SKU; it must be 0 everywhere). initial_stock never changes:
-- there is no restocking, so every unit is either on the shelf or held by exactly one RESERVED reservation.

CREATE TABLE product (
    sku           varchar(64)   PRIMARY KEY,
    name          varchar(200)  NOT NULL,
    price         numeric(12,2) NOT NULL CHECK (price >= 0),
    initial_stock integer       NOT NULL CHECK (initial_stock >= 0),
    -- The last line of defence against overselling; the service also guards every decrement in SQL.
    available     integer       NOT NULL CHECK (available >= 0),
    -- A release that returned stock twice would push a product above its initial stock.
    CHECK (available <= initial_stock)
);

-- One row per order that inventory has heard of. RESERVED holds stock (its lines), REJECTED never held any,
-- RELEASED gave its stock back - or is a tombstone (no lines) written when a release arrived before the reserve,
-- so that the late reserve is refused.
CREATE TABLE reservation (
    order_id    uuid        PRIMARY KEY,
    status      varchar(16) NOT NULL CHECK (status IN ('RESERVED', 'RELEASED', 'REJECTED')),
    reason      varchar(32) CHECK (reason IN ('OUT_OF_STOCK', 'UNKNOWN_SKU')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    released_at timestamptz,
    CHECK ((status = 'REJECTED') = (reason IS NOT NULL)),
    CHECK ((status = 'RELEASED') = (released_at IS NOT NULL))
);

-- The stock a reservation took, one line per SKU (duplicate SKUs in a request are summed). Only reservations that
-- reached RESERVED have lines; they stay after a release for the audit trail.
CREATE TABLE reservation_line (
    order_id uuid        NOT NULL REFERENCES reservation (order_id),
    sku      varchar(64) NOT NULL REFERENCES product (sku),
    quantity integer     NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, sku)
);

CREATE VIEW stock_conservation AS
SELECT p.sku,
       p.initial_stock,
       p.available,
       coalesce(held.quantity, 0)                                AS reserved,
       p.initial_stock - p.available - coalesce(held.quantity, 0) AS discrepancy
FROM product p
LEFT JOIN (SELECT l.sku, sum(l.quantity) AS quantity
           FROM reservation_line l
           JOIN reservation r ON r.order_id = l.order_id
           WHERE r.status = 'RESERVED'
           GROUP BY l.sku) held ON held.sku = p.sku;
