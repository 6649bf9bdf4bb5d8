-- The recovery sweeps (twopc, orchestration) and the not-final gauge look for PENDING orders every few seconds:
-- SELECT ... WHERE status = 'PENDING' AND flow = ? AND created_at < ? ORDER BY created_at.
-- After a comparison run purchase_order holds tens of thousands of final orders and a handful of PENDING ones, so a
-- partial index keeps those queries at a few index pages instead of a sequential scan; final orders never enter it.
CREATE INDEX purchase_order_pending ON purchase_order (flow, created_at) WHERE status = 'PENDING';
