package io.txlab.platform.twopc;

import io.txlab.contracts.twopc.Decision;
import io.txlab.contracts.twopc.Resolution;
import java.time.Duration;
import io.txlab.platform.scheduling.PeriodicTask;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Resolves this participant's prepared branches with the coordinator, at startup and every
 * {@code recoveryInterval}: COMMIT &rarr; {@code COMMIT PREPARED}, ABORT (including the presumed abort of a gid the
 * coordinator never logged) &rarr; {@code ROLLBACK PREPARED}, PENDING &rarr; keep waiting. This is what makes a
 * participant restart safe (its prepared transactions are in PostgreSQL, not in memory) and what cleans up a branch
 * whose prepare answer the coordinator never received.
 */
public class ParticipantRecovery implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ParticipantRecovery.class);

    private final PreparedTransactions prepared;
    private final CoordinatorClient coordinator;
    private final Duration minAge;
    private final CommitListener onCommit;
    private final PeriodicTask schedule;

    public ParticipantRecovery(PreparedTransactions prepared, CoordinatorClient coordinator, Duration interval,
                               Duration minAge) {
        this(prepared, coordinator, interval, minAge, gid -> { });
    }

    /** @param onCommit told of every branch this recovery committed */
    public ParticipantRecovery(PreparedTransactions prepared, CoordinatorClient coordinator, Duration interval,
                               Duration minAge, CommitListener onCommit) {
        this.prepared = prepared;
        this.coordinator = coordinator;
        this.minAge = minAge;
        this.onCommit = onCommit;
        this.schedule = new PeriodicTask("twopc-participant-recovery", Duration.ZERO, interval, this::recoverOnce);
    }

    /** One pass; returns how many branches were resolved. */
    public int recoverOnce() {
        int resolved = 0;
        Instant now = Instant.now();
        for (PreparedTransaction branch : prepared.listOwnBranches()) {
            if (branch.age(now).compareTo(minAge) < 0) {
                continue;
            }
            String gid = branch.globalGid();
            try {
                Decision.Value decision = coordinator.decision(gid);
                switch (decision) {
                    case COMMIT -> {
                        if (prepared.commitPrepared(gid) == Resolution.Result.COMMITTED) {
                            onCommit.committed(gid);
                        }
                    }
                    case ABORT -> prepared.rollbackPrepared(gid);
                    case PENDING -> {
                        log.info("recovery: {} still pending at the coordinator (prepared {} ago)", gid,
                                branch.age(now));
                        continue;
                    }
                }
                log.warn("recovery: resolved in-doubt branch {} with {}", branch.branchGid(), decision);
                resolved++;
            } catch (RuntimeException e) {
                // Coordinator unreachable: the branch stays prepared (holding its locks) - 2PC's blocking property.
                log.warn("recovery: cannot resolve {} now: {}", branch.branchGid(), e.toString());
            }
        }
        return resolved;
    }

    @Override
    public void start() {
        schedule.start();
    }

    @Override
    public void stop() {
        schedule.stop();
    }

    @Override
    public boolean isRunning() {
        return schedule.isRunning();
    }
}
