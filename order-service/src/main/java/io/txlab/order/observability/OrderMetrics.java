package io.txlab.order.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.txlab.contracts.Flow;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderFinalized;
import io.txlab.order.order.OrderPlaced;
import io.txlab.order.order.OrderStatus;
import java.time.Duration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The order lifecycle metrics, the same names and tags for every flow. order-service owns the lifecycle of all five
 * flows, so counting its in-process events here covers every flow in one place: {@link OrderPlaced} (after the
 * placing commit) and {@link OrderFinalized} (after the finalizing commit, once per order; the {@code cockroach}
 * route announces both for its single transaction).
 *
 * <ul>
 *   <li>{@code txlab.orders.started} (flow)</li>
 *   <li>{@code txlab.orders.finished} (flow, status CONFIRMED|CANCELLED, reason: a RejectionReason name or
 *       {@code none})</li>
 *   <li>{@code txlab.orders.time.to.final} (flow, status): creation to final state, percentile histogram</li>
 * </ul>
 * The series that always exist (started per flow, confirmed per flow, the timers) are registered at start so that
 * dashboards and rates see zeros rather than gaps.
 */
@Component
public class OrderMetrics {

    public static final String STARTED = "txlab.orders.started";
    public static final String FINISHED = "txlab.orders.finished";
    public static final String TIME_TO_FINAL = "txlab.orders.time.to.final";
    /** The {@code reason} tag of a confirmed order. */
    public static final String NO_REASON = "none";

    private final MeterRegistry registry;

    public OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Flow flow : Flow.values()) {
            started(flow);
            finished(flow, OrderStatus.CONFIRMED, NO_REASON);
            timeToFinal(flow, OrderStatus.CONFIRMED);
            timeToFinal(flow, OrderStatus.CANCELLED);
        }
    }

    @EventListener
    void onPlaced(OrderPlaced event) {
        started(event.order().flow()).increment();
    }

    @EventListener
    void onFinalized(OrderFinalized event) {
        Order order = event.order();
        if (!order.isFinal()) {
            return;
        }
        String reason = order.reason() == null ? NO_REASON : order.reason();
        finished(order.flow(), order.status(), reason).increment();
        if (order.completedAt() != null) {
            timeToFinal(order.flow(), order.status())
                    .record(Duration.between(order.createdAt(), order.completedAt()));
        }
    }

    private Counter started(Flow flow) {
        return Counter.builder(STARTED)
                .description("orders accepted and handed to their flow")
                .tag("flow", flow.id())
                .register(registry);
    }

    private Counter finished(Flow flow, OrderStatus status, String reason) {
        return Counter.builder(FINISHED)
                .description("orders that reached a final state")
                .tag("flow", flow.id())
                .tag("status", status.name())
                .tag("reason", reason)
                .register(registry);
    }

    private Timer timeToFinal(Flow flow, OrderStatus status) {
        return Timer.builder(TIME_TO_FINAL)
                .description("time from order creation to its final state")
                .tag("flow", flow.id())
                .tag("status", status.name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }
}
