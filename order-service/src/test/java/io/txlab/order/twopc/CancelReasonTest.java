package io.txlab.order.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.twopc.TransactionOutcome.ParticipantVote;
import io.txlab.contracts.twopc.Vote;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which reason an aborted 2PC order is cancelled with: the first NO vote's, when it names a rejection reason. */
class CancelReasonTest {

    @Test
    void theFirstNoVoteNamesTheReasonAloneOrBeforeItsDetail() {
        assertThat(TwopcSettlement.cancelReason(List.of(new ParticipantVote("inventory", Vote.Value.YES, null),
                new ParticipantVote("payment", Vote.Value.NO, "DEADLINE_EXCEEDED: no vote by the transaction's deadline"),
                new ParticipantVote("order", Vote.Value.NO, "TECHNICAL_FAILURE: no vote within the prepare timeout"))))
                .isEqualTo("DEADLINE_EXCEEDED");
        assertThat(TwopcSettlement.cancelReason(List.of(new ParticipantVote("payment", Vote.Value.NO,
                "INSUFFICIENT_FUNDS")))).isEqualTo("INSUFFICIENT_FUNDS");
    }

    @Test
    void anythingElseIsATechnicalFailure() {
        assertThat(TwopcSettlement.cancelReason(List.of(new ParticipantVote("payment", Vote.Value.NO,
                "java.net.SocketTimeoutException: Read timed out")))).isEqualTo("TECHNICAL_FAILURE");
        assertThat(TwopcSettlement.cancelReason(List.of(new ParticipantVote("payment", Vote.Value.NO, null))))
                .isEqualTo("TECHNICAL_FAILURE");
        assertThat(TwopcSettlement.cancelReason(null)).isEqualTo("TECHNICAL_FAILURE");
    }
}
