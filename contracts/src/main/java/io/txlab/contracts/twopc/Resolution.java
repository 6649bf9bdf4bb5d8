package io.txlab.contracts.twopc;

/**
 * A participant's answer to commit/rollback of a prepared branch. JSON: {@code {"gid":"txlab_…","result":"COMMITTED"}}.
 * {@code ALREADY_RESOLVED} means the branch was no longer prepared: resolved earlier the same way (a repeated phase-two
 * message, or the participant's own recovery), or never prepared (a NO vote, or a prepare that never arrived), or
 * resolved so long ago that its record was purged. {@code RESOLVED_OTHERWISE} means the participant recorded the
 * opposite outcome (committed when rollback is asked, or the reverse): a heuristic outcome, never an acknowledgement.
 */
public record Resolution(String gid, Result result) {

    public enum Result { COMMITTED, ROLLED_BACK, ALREADY_RESOLVED, RESOLVED_OTHERWISE }
}
