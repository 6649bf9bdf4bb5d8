package io.txlab.twopc.protocol;

import java.time.Instant;
import java.util.List;

/** One row of the decision log. */
public record LoggedTransaction(String gid, TransactionState state, List<ParticipantEndpoint> participants,
                                Instant createdAt, Instant decidedAt, Instant completedAt, int attempts,
                                String lastError) {
}
