package io.txlab.platform.twopc;

import io.txlab.contracts.twopc.Decision;
import io.txlab.contracts.twopc.Resolution;
import io.txlab.platform.scheduling.PeriodicTask;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Resolves this participant's prepared branches with the coordinator, at startup and every
 * {@code recoveryInterval}: COMMIT &rarr; {@code COMMIT PREPARED}, ABORT (including the presumed abort of a gid the
 * coordinator never logged) &rarr; {@code ROLLBACK PREPARED}, PENDING &rarr; keep waiting. This is what makes a
 * participant restart safe (its prepared transactions are in PostgreSQL, not in memory) and what cleans up a branch
 * whose prepare answer the coordinator never received.
 *
 * <p>A presumed ABORT (the gid is not in the coordinator's log) from a log with another epoch than the one the branch
 * was prepared under is not obeyed: that log never knew the branch, the one that did is gone, and the transaction may
 * have committed on the other participants. The branch is <em>parked</em> - kept prepared, logged at ERROR, counted
 * in {@link #parked()} - for an operator to resolve (ADR 19).
 */
public class ParticipantRecovery implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ParticipantRecovery.class);

    private final PreparedTransactions prepared;
    private final CoordinatorClient coordinator;
    private final Duration minAge;
    private final CommitListener onCommit;
    private final PeriodicTask schedule;
    private final Set<String> parked = ConcurrentHashMap.newKeySet();
    /** Records of resolved branches older than this are purged. */
    static final Duration RECORD_RETENTION = Duration.ofHours(1);
    /** How often the purge runs: a recovery pass comes every few seconds, the records age by the hour. */
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);
    /** When the purge last ran (null: not yet); touched only by the recovery thread. */
    private Instant lastPurge;

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

    /** The gids of branches parked now: prepared under a coordinator log that is gone. */
    public Set<String> parked() {
        return Set.copyOf(parked);
    }

    /** One pass; returns how many branches were resolved. */
    public int recoverOnce() {
        int resolved = 0;
        Instant now = Instant.now();
        Set<String> stillParked = new HashSet<>();
        for (PreparedTransaction branch : prepared.listOwnBranches()) {
            if (branch.age(now).compareTo(minAge) < 0) {
                continue;
            }
            String gid = branch.globalGid();
            try {
                Decision answer = coordinator.decide(gid);
                Decision.Value decision = answer.decision();
                if (decision == Decision.Value.ABORT && answer.isPresumed() && answer.epoch() != null) {
                    Optional<String> preparedUnder = prepared.recordedEpoch(gid);
                    if (preparedUnder.isPresent() && !preparedUnder.get().equals(answer.epoch())) {
                        stillParked.add(gid);
                        if (parked.add(gid)) {
                            log.error("recovery: {} PARKED, not rolled back: prepared under coordinator epoch {}, but"
                                    + " the coordinator (epoch {}) has no record of it - its decision log was lost or"
                                    + " replaced, and the transaction may have committed elsewhere. Resolve by hand"
                                    + " with COMMIT PREPARED or ROLLBACK PREPARED '{}'", gid, preparedUnder.get(),
                                    answer.epoch(), branch.branchGid());
                        }
                        continue;
                    }
                }
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
                if (parked.contains(gid)) {
                    stillParked.add(gid);
                }
            }
        }
        parked.retainAll(stillParked);
        if (lastPurge == null || !now.isBefore(lastPurge.plus(PURGE_INTERVAL))) {
            lastPurge = now;
            try {
                prepared.purgeRecords(now.minus(RECORD_RETENTION));
            } catch (RuntimeException e) {
                log.warn("recovery: cannot purge the records of resolved branches: {}", e.toString());
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
