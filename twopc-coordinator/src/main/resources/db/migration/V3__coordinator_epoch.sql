-- The identity of this decision log, sent with every prepare and every decision (ADR 19). A database created afresh
-- (lost, or replaced) gets a new epoch, so participants can tell "never logged here" from "logged in a log now gone".
CREATE TABLE coordinator_epoch (
    epoch      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO coordinator_epoch DEFAULT VALUES;
