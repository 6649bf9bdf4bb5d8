package io.txlab.contracts.twopc;

/**
 * A participant's answer to commit/rollback of a prepared branch. JSON: {@code {"gid":"txlab_…","result":"COMMITTED"}}.
 * {@code ALREADY_RESOLVED} means the branch was no longer prepared: resolved earlier (a repeated phase-two message, or
 * the participant's own recovery) or never prepared (a NO vote, or a prepare that never arrived).
 */
public record Resolution(String gid, Result result) {

    public enum Result { COMMITTED, ROLLED_BACK, ALREADY_RESOLVED }
}
