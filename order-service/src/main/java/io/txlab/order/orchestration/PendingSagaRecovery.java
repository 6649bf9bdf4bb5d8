package io.txlab.order.orchestration;

import io.txlab.contracts.Flow;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderService;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.scheduling.PeriodicTask;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Closes the gap between the order's commit and its saga's start: an order-service that dies in between (or whose
 * start failed or was never attempted) leaves a PENDING orchestration order that no saga drives. Every
 * {@code recovery-interval} this sweep (re)starts the saga of each PENDING orchestration order older than
 * {@code recovery-min-age}; the workflow id is the order id, so an order whose saga exists is left alone
 * ({@code ALREADY_STARTED}) and every order-service replica may sweep.
 *
 * <p>Orders found with a running saga (waiting on a service that is down, or stuck on a failing compensation) are
 * remembered and skipped by later sweeps of this process, so a long outage does not cost a Temporal call per order
 * and sweep. The query returns at most {@code recovery-batch} orders, oldest first: with more sagas than that stuck
 * at once, newer orders wait until older ones finish.
 */
@Component
@ConditionalOnFlow(Flow.ORCHESTRATION)
public class PendingSagaRecovery implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PendingSagaRecovery.class);
    private static final int REMEMBERED = 100_000;

    private final OrderService orders;
    private final PlaceOrderSagas sagas;
    private final OrchestrationProperties properties;
    private final Set<UUID> knownStarted = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });
    private final PeriodicTask sweeps;

    public PendingSagaRecovery(OrderService orders, PlaceOrderSagas sagas, OrchestrationProperties properties) {
        this.orders = orders;
        this.sagas = sagas;
        this.properties = properties;
        this.sweeps = new PeriodicTask("orchestration-recovery", properties.recoveryInterval(),
                properties.recoveryInterval(), this::sweep);
    }

    @EventListener(ApplicationReadyEvent.class)
    void schedule() {
        sweeps.start();
    }

    /**
     * One sweep; stops at the first order whose start fails (Temporal is most likely down: the next sweep retries).
     *
     * @return how many sagas this sweep started
     */
    public synchronized int sweep() {
        Instant createdBefore = Instant.now().minus(properties.recoveryMinAge());
        int started = 0;
        for (UUID id : orders.findStalePending(Flow.ORCHESTRATION, createdBefore, properties.recoveryBatch())) {
            if (knownStarted.contains(id)) {
                continue;
            }
            Order order = orders.find(id).orElse(null);
            if (order == null || order.isFinal()) {
                continue;
            }
            try {
                if (sagas.start(order) == PlaceOrderSagas.Start.STARTED) {
                    log.info("recovery started the saga of PENDING order {} (placed {})", id, order.createdAt());
                    started++;
                }
                knownStarted.add(id);
            } catch (RuntimeException e) {
                log.warn("recovery could not start the saga of order {} ({}); next sweep in {}", id, e.toString(),
                        properties.recoveryInterval());
                break;
            }
        }
        return started;
    }

    @Override
    public void destroy() {
        sweeps.stop();
    }
}
