package io.txlab.twopc.protocol;

import io.txlab.platform.scheduling.PeriodicTask;
import io.txlab.twopc.config.TwopcProperties;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Finishes what a dead or unlucky request thread left behind, at startup (the first run has no initial delay) and
 * every {@code txlab.twopc.recovery-interval}:
 * <ul>
 *   <li>BEGUN transactions older than {@code prepare-timeout} are decided ABORT (their participants may hold
 *       prepared branches and locks that nobody else would ever release);</li>
 *   <li>COMMITTING / ABORTING transactions whose next attempt is due get phase two again, one attempt per
 *       participant, then exponential backoff up to {@code max-backoff}. It never gives up: a COMMIT decision must
 *       reach every participant eventually, and retrying phase two is the mechanism, not a workaround.</li>
 * </ul>
 */
@Component
public class Recovery implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    private static final int BATCH = 50;

    private final DecisionLog decisions;
    private final Coordinator coordinator;
    private final TwopcProperties properties;
    /**
     * Its own thread (ADR 13), not a scheduler shared with the in-doubt monitor: a participant database that hangs
     * the monitor's query must not stop the timeout-aborts of every other transaction.
     */
    private final PeriodicTask task;

    public Recovery(DecisionLog decisions, Coordinator coordinator, TwopcProperties properties) {
        this.decisions = decisions;
        this.coordinator = coordinator;
        this.properties = properties;
        this.task = new PeriodicTask("twopc-recovery", Duration.ZERO, properties.recoveryInterval(), this::runOnce);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        task.start();
    }

    @Override
    public void destroy() {
        task.stop();
    }

    /** One pass; returns how many transactions were completed. */
    public int runOnce() {
        List<String> expired = decisions.abortExpired(properties.prepareTimeout());
        if (!expired.isEmpty()) {
            log.warn("recovery: no decision within {} for {}: decided ABORT", properties.prepareTimeout(), expired);
        }
        int completed = 0;
        Duration lease = properties.http().readTimeout().multipliedBy(2).plus(properties.recoveryInterval());
        for (LoggedTransaction t : decisions.claimDue(BATCH, lease)) {
            if (coordinator.phaseTwo(t.gid(), t.state().decision(), t.participants(), false)) {
                log.info("recovery: {} {} completed on every participant", t.gid(), t.state().decision());
                completed++;
            }
        }
        return completed;
    }
}
