package io.txlab.twopc.protocol;

import io.txlab.contracts.twopc.Decision;

/**
 * States of a global transaction in the decision log. BEGUN: votes being collected, no decision (presumed abort
 * if the coordinator dies now). COMMITTING / ABORTING: decided, phase two not yet acknowledged by everyone (recovery
 * re-drives these). COMMITTED / ABORTED: every participant acknowledged; nothing is prepared any more.
 */
public enum TransactionState {
    BEGUN, COMMITTING, ABORTING, COMMITTED, ABORTED;

    public Decision.Value decision() {
        return switch (this) {
            case BEGUN -> Decision.Value.PENDING;
            case COMMITTING, COMMITTED -> Decision.Value.COMMIT;
            case ABORTING, ABORTED -> Decision.Value.ABORT;
        };
    }

    public boolean finished() {
        return this == COMMITTED || this == ABORTED;
    }
}
