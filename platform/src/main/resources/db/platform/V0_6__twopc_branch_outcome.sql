-- How each recorded branch ended (ADR 19, amended): COMMITTED or ROLLED_BACK, written right after COMMIT/ROLLBACK
-- PREPARED (asynchronous commit). PostgreSQL forgets a gid once it is resolved; this is what lets a later phase-two
-- message for the other outcome be answered RESOLVED_OTHERWISE instead of a reassuring ALREADY_RESOLVED.
ALTER TABLE twopc_branch ADD COLUMN outcome text CHECK (outcome IN ('COMMITTED', 'ROLLED_BACK'));
