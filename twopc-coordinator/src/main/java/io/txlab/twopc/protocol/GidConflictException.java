package io.txlab.twopc.protocol;

import java.util.List;

/**
 * A request for a gid the log already holds, naming other participants: it is not a replay of that transaction, and
 * answering it with the logged outcome would tell its sender that a transaction it never ran was decided (409).
 */
public class GidConflictException extends RuntimeException {

    public GidConflictException(String gid, List<ParticipantEndpoint> logged, List<ParticipantEndpoint> requested) {
        super("gid " + gid + " is logged with participants " + logged + ", not " + requested);
    }
}
