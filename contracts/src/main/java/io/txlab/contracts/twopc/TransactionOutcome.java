package io.txlab.contracts.twopc;

import java.util.List;

/**
 * Response of the coordinator's {@code POST /transactions}.
 * <pre>{@code
 * {"gid":"txlab_…","decision":"ABORT","completed":true,
 *  "votes":[{"participant":"inventory","vote":"YES","reason":null},
 *           {"participant":"payment","vote":"NO","reason":"INSUFFICIENT_FUNDS"}]}
 * }</pre>
 *
 * @param decision  {@code COMMIT} or {@code ABORT} (never {@code PENDING}: the call returns after deciding)
 * @param completed true when every participant acknowledged phase two; false when recovery finishes it later
 *                  (the decision is already durable and will be applied). A participant the caller resolves itself
 *                  ({@link PrepareRequest.Participant#resolvedByCaller()}) is not waited for: it is the caller's.
 * @param votes     one per participant in request order; a participant that failed or timed out shows
 *                  {@code NO} with the failure as reason
 */
public record TransactionOutcome(String gid, Decision.Value decision, boolean completed, List<ParticipantVote> votes) {

    public record ParticipantVote(String participant, Vote.Value vote, String reason) {
    }
}
