-- What a 2PC participant prepared under each gid (ADR 19): the fingerprint of the prepare request, so a different
-- request for the same gid is refused, and the coordinator's epoch, so a presumed ABORT from a decision log that never
-- knew the branch (a lost coordinator database) parks the branch for an operator instead of rolling it back.
-- Written just before the branch's own transaction, committed on its own; rows of resolved branches are purged.
CREATE TABLE twopc_branch (
    gid               text PRIMARY KEY,
    fingerprint       text NOT NULL,
    coordinator_epoch text,
    created_at        timestamptz NOT NULL DEFAULT now()
);
