package io.txlab.loadtests.record;

/** How one order ended from the client's point of view. */
public enum Outcome {
    CONFIRMED,
    CANCELLED,
    /** Accepted, but still PENDING when the long-poll gave up. */
    UNFINISHED,
    /** No usable answer: connection refused, timeout, 5xx, or any status the scenario does not expect. */
    ERROR,
    /** 422 "flow ... is not implemented in this build": the flow is missing, nothing was written. */
    NOT_IMPLEMENTED;

    public boolean isFinal() {
        return this == CONFIRMED || this == CANCELLED;
    }
}
