package io.txlab.contracts;

/**
 * The moments a txlab process can be told to halt at, one per flow's worst window: a process started with the
 * {@code chaos} profile and {@code TXLAB_CHAOS_CRASH_POINTS=<name>} exits with status 137 (as SIGKILL would) when it
 * reaches the named point ({@code io.txlab.platform.chaos.CrashPoints}). The code that reaches a point, the
 * comparison's chaos runs and the end-to-end tests all name it from here. Each name starts with its flow's id.
 */
public final class CrashPointNames {

    /** payment-service: the payment committed, PaymentAuthorized/Declined not yet published (the loss window). */
    public static final String CHOREOGRAPHY_AFTER_COMMIT_BEFORE_PUBLISH = "choreography.after-commit-before-publish";
    /** Any service: the outbox row committed and read by the relay, not yet published. */
    public static final String OUTBOX_AFTER_COMMIT_BEFORE_RELAY = "outbox.after-commit-before-relay";
    /** payment-service: the authorize activity committed its debit, Temporal not told yet. */
    public static final String ORCHESTRATION_AFTER_AUTHORIZE_COMMIT = "orchestration.after-authorize-commit";
    /** twopc-coordinator: every participant prepared, no decision logged. */
    public static final String TWOPC_AFTER_PREPARE_BEFORE_DECISION = "twopc.after-prepare-before-decision";
    /** twopc-coordinator: COMMIT logged, no participant told yet. */
    public static final String TWOPC_AFTER_DECISION_LOGGED = "twopc.after-decision-logged";
    /**
     * order-service: the coordinator answered COMMIT and committed inventory's and payment's branches, the order's own
     * branch (which order-service resolves itself, ADR 56) is still prepared.
     */
    public static final String TWOPC_BEFORE_OWN_BRANCH = "twopc.before-own-branch";

    private CrashPointNames() {
    }
}
