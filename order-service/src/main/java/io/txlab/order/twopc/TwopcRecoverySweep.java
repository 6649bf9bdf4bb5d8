package io.txlab.order.twopc;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.twopc.Decision;
import io.txlab.contracts.twopc.Gid;
import io.txlab.order.order.OrderService;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.scheduling.PeriodicTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Finishes {@code twopc} orders whose launcher died (order-service killed mid-protocol, a lost coordinator answer):
 * every {@code sweep.interval}, PENDING twopc orders older than {@code sweep.min-age} are looked up at the coordinator
 * with {@code GET /transactions/{gid}}:
 * <ul>
 *   <li>ABORT (decided, or a gid it never logged - presumed abort): roll back the order branch if it is still
 *       prepared, cancel the order as TECHNICAL_FAILURE (the votes are not known here);</li>
 *   <li>COMMIT: commit the order branch if it is still prepared, which confirms the order (the participant recovery
 *       would do the same);</li>
 *   <li>PENDING: the coordinator is still collecting votes or will time the transaction out; ask again next pass.</li>
 * </ul>
 * Asking early is harmless: an order whose protocol has not reached the coordinator yet is cancelled, and its
 * prepare then finds it CANCELLED and votes NO. {@code min-age} only avoids that waste.
 */
@Component
@ConditionalOnFlow(Flow.TWOPC)
public class TwopcRecoverySweep implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TwopcRecoverySweep.class);

    private final OrderService orders;
    private final CoordinatorApi coordinator;
    private final TwopcSettlement settlement;
    private final TwopcFlowProperties.Sweep settings;
    private final PeriodicTask schedule;

    public TwopcRecoverySweep(OrderService orders, CoordinatorApi coordinator, TwopcSettlement settlement,
                              TwopcFlowProperties properties) {
        this.orders = orders;
        this.coordinator = coordinator;
        this.settlement = settlement;
        this.settings = properties.sweep();
        Duration interval = Duration.ofMillis(Math.max(1, settings.interval().toMillis()));
        this.schedule = new PeriodicTask("twopc-order-sweep", interval, interval, this::sweepOnce);
    }

    /** One pass; returns how many orders got a decision applied. */
    public int sweepOnce() {
        List<UUID> stale = orders.findStalePending(Flow.TWOPC, Instant.now().minus(settings.minAge()),
                settings.batch());
        int applied = 0;
        for (UUID orderId : stale) {
            String gid = Gid.of(orderId);
            Decision.Value decision;
            try {
                decision = coordinator.decision(gid);
            } catch (RuntimeException e) {
                log.warn("sweep: coordinator cannot answer for {} now ({}); {} PENDING twopc orders wait", gid,
                        e.toString(), stale.size());
                return applied;
            }
            if (decision == Decision.Value.PENDING) {
                continue;
            }
            log.warn("sweep: order {} was left PENDING; coordinator says {}", orderId, decision);
            settlement.apply(orderId, decision, false, RejectionReason.TECHNICAL_FAILURE.name());
            applied++;
        }
        return applied;
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
