-- The deadline's open compensations (V4) become every compensation order-service opens itself, at an order's deadline
-- or for an operator's compensate action (adr/0038): renamed, and each row says which one (its cancellation's
-- reason, DEADLINE_EXCEEDED or OPERATOR_COMPENSATED). Rows V4 wrote were all deadlines.
ALTER TABLE order_deadline_compensation RENAME TO order_compensation;
ALTER INDEX order_deadline_compensation_open RENAME TO order_compensation_open;
ALTER TABLE order_compensation ADD COLUMN cause text NOT NULL DEFAULT 'DEADLINE_EXCEEDED';
ALTER TABLE order_compensation ALTER COLUMN cause DROP DEFAULT;
