package io.txlab.platform.twopc;

import java.time.Duration;
import java.time.Instant;

/**
 * One row of this database's {@code pg_prepared_xacts}.
 *
 * @param branchGid   the gid as PostgreSQL knows it ({@code <gid>.<branch>} for ours)
 * @param globalGid   the coordinator's gid, or {@code null} when the row is not one of ours
 * @param transaction the prepared transaction's xid
 */
public record PreparedTransaction(String branchGid, String globalGid, String transaction, Instant prepared,
                                  String owner, String database) {

    public Duration age(Instant now) {
        return Duration.between(prepared, now);
    }
}
