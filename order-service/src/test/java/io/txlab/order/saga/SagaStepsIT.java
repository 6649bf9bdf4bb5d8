package io.txlab.order.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.OrderServiceTestContext;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderFlows;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderSteps;
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
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

/** {@code GET /orders/{id}/steps} over HTTP, one flow per test, with the participants' read sides stubbed. */
class SagaStepsIT extends OrderServiceTestContext {

    @LocalServerPort
    int port;
    @Autowired
    OrderService orders;
    @Autowired
    OrderFlows flows;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aChoreographyOrderWhosePaymentWasDeclinedShowsTheReleaseAsItsCompensation() {
        Order order = flows.place(Orders.newKey(), Orders.choreography()).order();
        Order cancelled = orders.cancel(order.id(), "INSUFFICIENT_FUNDS");
        // The participants' timestamps fall between the order's creation and its cancellation, as in a real run;
        // derived from both so the expected order holds however fast the machine is.
        java.time.Duration span = java.time.Duration.between(order.createdAt(), cancelled.completedAt());
        Instant reserved = order.createdAt().plus(span.dividedBy(4));
        Instant declined = order.createdAt().plus(span.dividedBy(2));
        Instant released = order.createdAt().plus(span.multipliedBy(3).dividedBy(4));
        REFERENCES.record("/reservations/" + order.id(), """
                {"orderId":"%s","status":"RELEASED","reason":null,"lines":[{"sku":"SKU-0001","quantity":2}],
                 "createdAt":"%s","releasedAt":"%s"}""".formatted(order.id(), reserved, released));
        REFERENCES.record("/payments/" + order.id(), """
                {"orderId":"%s","customerId":"C-0001","amount":25.00,"status":"DECLINED",
                 "reason":"INSUFFICIENT_FUNDS","createdAt":"%s","refundedAt":null}""".formatted(order.id(), declined));

        OrderSteps view = get(order.id());

        assertThat(view.flow()).isEqualTo("choreography");
        assertThat(view.status()).isEqualTo("CANCELLED");
        assertThat(view.source()).isEqualTo("participants");
        assertThat(view.steps()).extracting(OrderSteps.Step::name, OrderSteps.Step::outcome).containsExactly(
                tuple("place-order", "PENDING"),
                tuple("reserve-stock", "RESERVED"),
                tuple("authorize-payment", "DECLINED"),
                tuple("cancel-order", "CANCELLED"));
        assertThat(view.steps().get(1).at()).isEqualTo(reserved);
        assertThat(view.steps().get(2).detail()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(view.compensations()).containsExactly(
                new OrderSteps.Step("release-stock", "RELEASED", released, null));
        assertThat(view.note()).isNull();
    }

    @Test
    void aCockroachOrderIsOneTransaction() {
        Order order = flows.place(Orders.newKey(), new PlaceOrder("C-0953",
                Flow.COCKROACH, List.of(new OrderLine("SKU-0953", 1, new BigDecimal("63.00"))))).order();

        OrderSteps view = get(order.id());

        assertThat(view.flow()).isEqualTo("cockroach");
        assertThat(view.source()).isEqualTo("transaction");
        assertThat(view.steps()).containsExactly(new OrderSteps.Step("serializable-transaction", "CONFIRMED",
                order.completedAt(), "postgresql-serializable-standin"));
        assertThat(view.compensations()).isEmpty();
    }

    @Test
    void aTwopcOrderAsksTheCoordinatorAndSaysSoWhenItCannotAnswer() {
        UUID id = pendingOrder(Flow.TWOPC);

        OrderSteps view = get(id);

        assertThat(view.source()).isEqualTo("coordinator+participants");
        assertThat(view.steps()).extracting(OrderSteps.Step::name).containsExactly("place-order");
        assertThat(view.note()).startsWith("coordinator unavailable");
    }

    @Test
    void anOrchestrationOrderWithoutAWorkflowFallsBackToTheParticipants() {
        UUID id = pendingOrder(Flow.ORCHESTRATION);
        Instant reserved = Instant.now().truncatedTo(ChronoUnit.MICROS);
        REFERENCES.record("/reservations/" + id, """
                {"orderId":"%s","status":"RESERVED","reason":null,"lines":[{"sku":"SKU-0001","quantity":1}],
                 "createdAt":"%s","releasedAt":null}""".formatted(id, reserved));

        OrderSteps view = get(id);

        assertThat(view.source()).isEqualTo("participants");
        assertThat(view.note()).startsWith("workflow state unavailable");
        assertThat(view.steps()).extracting(OrderSteps.Step::name).containsExactly("place-order", "reserve-stock");
    }

    @Test
    void anUnknownOrderIs404() {
        HttpStatusCode status = client().get().uri("/orders/{id}/steps", UUID.randomUUID())
                .exchange((request, response) -> response.getStatusCode());
        assertThat(status.value()).isEqualTo(404);
    }

    /** Written directly, PENDING and just created, so that no launcher or recovery sweep acts on it meanwhile. */
    private UUID pendingOrder(Flow flow) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO purchase_order (id, customer_id, flow, status, total, created_at, idempotency_key)
                        VALUES (?, 'C-0954', ?, 'PENDING', 10.00, ?, ?)""")
                .params(id, flow.id(), Instant.now().minusMillis(10).atOffset(ZoneOffset.UTC), Orders.newKey())
                .update();
        return id;
    }

    private OrderSteps get(UUID id) {
        return client().get().uri("/orders/{id}/steps", id).retrieve().body(OrderSteps.class);
    }

    private RestClient client() {
        return RestClient.create("http://127.0.0.1:" + port);
    }
}
