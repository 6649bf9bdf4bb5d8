package io.txlab.contracts.twopc;

/**
 * The coordinator's word on a global transaction, as answered by {@code GET /transactions/{gid}}.
 * JSON: {@code {"gid":"txlab_…","decision":"COMMIT","epoch":"…","presumed":false}}.
 * <ul>
 *   <li>{@code COMMIT}: the commit decision is durable; every participant must commit its prepared branch.</li>
 *   <li>{@code ABORT}: decided abort, or a gid the coordinator never logged (presumed abort).</li>
 *   <li>{@code PENDING}: votes are still being collected; ask again later and keep the branch prepared.</li>
 * </ul>
 * {@code epoch} identifies the coordinator's decision log (a new one for a log created afresh, e.g. a lost database);
 * {@code presumed} says that the gid is not in that log. A participant holding a branch prepared under another epoch
 * must not take a presumed ABORT for an answer: the log that knew the branch is gone, and the transaction may have
 * committed elsewhere (ADR 19). Both are null from a coordinator that predates them.
 *
 * @param epoch    the decision log's identity, or null
 * @param presumed whether the decision is presumed (the gid is not in this log); null when not said
 */
public record Decision(String gid, Value decision, String epoch, Boolean presumed) {

    /** Whether the coordinator said the decision is presumed. */
    public boolean isPresumed() {
        return Boolean.TRUE.equals(presumed);
    }

    /** The header on {@code prepare} that carries the coordinator's epoch to the participant. */
    public static final String EPOCH_HEADER = "X-Txlab-Coordinator-Epoch";

    public enum Value { COMMIT, ABORT, PENDING }
}
