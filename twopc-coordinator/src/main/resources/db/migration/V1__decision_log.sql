-- The coordinator's decision log. Only the COMMIT decision is forced to disk before phase two (presumed abort);
-- see io.txlab.twopc.protocol.DecisionLog.
CREATE TABLE twopc_transaction (
    gid             text PRIMARY KEY
                    CHECK (gid ~ '^txlab_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
    state           text NOT NULL CHECK (state IN ('BEGUN', 'COMMITTING', 'ABORTING', 'COMMITTED', 'ABORTED')),
    participants    jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    decided_at      timestamptz,
    completed_at    timestamptz,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_error      text
);

-- Recovery scans only unfinished transactions; finished ones are history.
CREATE INDEX twopc_transaction_unfinished ON twopc_transaction (next_attempt_at)
    WHERE state IN ('BEGUN', 'COMMITTING', 'ABORTING');
CREATE INDEX twopc_transaction_begun ON twopc_transaction (created_at) WHERE state = 'BEGUN';
