package io.txlab.contracts.twopc;

/**
 * The coordinator's word on a global transaction, as answered by {@code GET /transactions/{gid}}.
 * JSON: {@code {"gid":"txlab_…","decision":"COMMIT"}}.
 * <ul>
 *   <li>{@code COMMIT}: the commit decision is durable; every participant must commit its prepared branch.</li>
 *   <li>{@code ABORT}: decided abort, or a gid the coordinator never logged (presumed abort).</li>
 *   <li>{@code PENDING}: votes are still being collected; ask again later and keep the branch prepared.</li>
 * </ul>
 */
public record Decision(String gid, Value decision) {

    public enum Value { COMMIT, ABORT, PENDING }
}
