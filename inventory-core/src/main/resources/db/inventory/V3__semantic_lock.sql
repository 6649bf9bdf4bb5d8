-- A semantic lock (ADR 44): a product flagged semantic_lock has its reservations held as PENDING (reservation.pending)
-- until the order is final. A flow that honours the flag (orchestration) settles the reservation once the order is
-- confirmed, and a reserve that finds the product short while pending reservations hold what it lacks waits for them
-- instead of refusing. The release of a pending reservation clears the flag with the stock. Flows that do not honour
-- the flag reserve as before (pending stays false), so the stock rules above are unchanged: pending is a label on a
-- RESERVED reservation, never a third place where stock can be.
ALTER TABLE product ADD COLUMN semantic_lock boolean NOT NULL DEFAULT false;

ALTER TABLE reservation ADD COLUMN pending boolean NOT NULL DEFAULT false;
-- When a pending reservation was settled (its order confirmed); null for reservations that were never pending.
ALTER TABLE reservation ADD COLUMN settled_at timestamptz;
ALTER TABLE reservation ADD CONSTRAINT reservation_pending_is_held CHECK (NOT pending OR status = 'RESERVED');
