package io.txlab.twopc.monitor;

import java.time.Instant;

/**
 * A prepared transaction found in a participant database.
 *
 * @param gid        the PostgreSQL gid ({@code <global gid>.<branch>} for ours)
 * @param globalGid  the coordinator's gid, null for prepared transactions that are not ours
 * @param locksHeld  rows of {@code pg_locks} held by the prepared transaction (relation and transaction-id locks;
 *                   row locks live in the tuples and are not counted)
 * @param decision   the coordinator's decision (COMMIT / ABORT / PENDING; ABORT also for our gids it never logged);
 *                   null for foreign gids
 * @param state      the decision log state, null when not logged
 */
public record InDoubtTransaction(String participant, String gid, String globalGid, Instant prepared, double ageSeconds,
                                 String owner, String database, long locksHeld, String decision, String state) {
}
