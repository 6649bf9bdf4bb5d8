package io.txlab.order.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.OrderServiceTestContext;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderFlows;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import io.txlab.order.order.Orders;
import io.txlab.order.order.PlaceOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Each order metric family moves when its event happens, against the service's real database. */
class OrderMetricsIT extends OrderServiceTestContext {

    @Autowired
    OrderService orders;
    @Autowired
    OrderFlows flows;
    @Autowired
    NotFinalOrders notFinal;
    @Autowired
    MeterRegistry meters;
    @Autowired
    JdbcClient jdbc;

    @Test
    void startedFinishedAndTimeToFinalFollowTheLifecycleOfAnOrder() {
        double started = counter(OrderMetrics.STARTED, "flow", "choreography");
        double cancelled = counter(OrderMetrics.FINISHED,
                "flow", "choreography", "status", "CANCELLED", "reason", "OUT_OF_STOCK");
        long timed = timed("choreography", "CANCELLED");

        Order placed = flows.place(Orders.newKey(), Orders.choreography()).order();
        assertThat(counter(OrderMetrics.STARTED, "flow", "choreography")).isEqualTo(started + 1);
        assertThat(timed("choreography", "CANCELLED")).isEqualTo(timed);

        orders.cancel(placed.id(), "OUT_OF_STOCK");
        orders.cancel(placed.id(), "OUT_OF_STOCK");

        assertThat(counter(OrderMetrics.FINISHED,
                "flow", "choreography", "status", "CANCELLED", "reason", "OUT_OF_STOCK")).isEqualTo(cancelled + 1);
        assertThat(timed("choreography", "CANCELLED")).isEqualTo(timed + 1);
    }

    @Test
    void aReplayedPlacementStartsNothing() {
        String key = Orders.newKey();
        flows.place(key, Orders.choreography());
        double started = counter(OrderMetrics.STARTED, "flow", "choreography");

        flows.place(key, Orders.choreography());

        assertThat(counter(OrderMetrics.STARTED, "flow", "choreography")).isEqualTo(started);
    }

    @Test
    void cockroachOrdersCountAlthoughTheyNeverPassThroughOrderService() {
        double started = counter(OrderMetrics.STARTED, "flow", "cockroach");
        double confirmed = counter(OrderMetrics.FINISHED,
                "flow", "cockroach", "status", "CONFIRMED", "reason", OrderMetrics.NO_REASON);
        long timed = timed("cockroach", "CONFIRMED");
        String key = Orders.newKey();
        PlaceOrder cmd = new PlaceOrder("C-0951", Flow.COCKROACH,
                List.of(new OrderLine("SKU-0951", 1, new BigDecimal("61.00"))));

        Order order = flows.place(key, cmd).order();
        flows.place(key, cmd);

        assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(counter(OrderMetrics.STARTED, "flow", "cockroach")).isEqualTo(started + 1);
        assertThat(counter(OrderMetrics.FINISHED,
                "flow", "cockroach", "status", "CONFIRMED", "reason", OrderMetrics.NO_REASON)).isEqualTo(confirmed + 1);
        assertThat(timed("cockroach", "CONFIRMED")).isEqualTo(timed + 1);
    }

    /**
     * Uses flow {@code outbox}, which is off in this test context, so no other test's orders can cross the
     * age threshold meanwhile: the row is written directly, as if its flow had stalled for an hour.
     */
    @Test
    void notFinalCountsPendingOrdersOlderThanTheThresholdUntilTheyAreFinal() {
        notFinal.refresh();
        double before = gauge("outbox");
        UUID young = pendingOutboxOrder(Instant.now());
        UUID old = pendingOutboxOrder(Instant.now().minus(1, ChronoUnit.HOURS));

        notFinal.refresh();
        assertThat(gauge("outbox")).isEqualTo(before + 1);

        orders.cancel(old, "TECHNICAL_FAILURE");
        orders.cancel(young, "TECHNICAL_FAILURE");
        notFinal.refresh();
        assertThat(gauge("outbox")).isEqualTo(before);
    }

    @Test
    void everyFlowHasItsSeriesBeforeItsFirstOrder() {
        for (Flow flow : Flow.values()) {
            assertThat(Search.in(meters).name(OrderMetrics.STARTED).tag("flow", flow.id()).counter()).isNotNull();
            assertThat(Search.in(meters).name(NotFinalOrders.NOT_FINAL).tag("flow", flow.id()).gauge()).isNotNull();
            assertThat(Search.in(meters).name(OrderMetrics.TIME_TO_FINAL).tag("flow", flow.id()).timers()).hasSize(2);
        }
    }

    private UUID pendingOutboxOrder(Instant createdAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO purchase_order (id, customer_id, flow, status, total, created_at, idempotency_key)
                        VALUES (?, 'C-0952', 'outbox', 'PENDING', 10.00, ?, ?)""")
                .params(id, createdAt.atOffset(ZoneOffset.UTC), Orders.newKey())
                .update();
        return id;
    }

    /** 0 for a series not registered yet (a reason seen for the first time creates it). */
    private double counter(String name, String... tags) {
        var counter = Search.in(meters).name(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private long timed(String flow, String status) {
        return meters.get(OrderMetrics.TIME_TO_FINAL).tags("flow", flow, "status", status).timer().count();
    }

    private double gauge(String flow) {
        return meters.get(NotFinalOrders.NOT_FINAL).tag("flow", flow).gauge().value();
    }
}
