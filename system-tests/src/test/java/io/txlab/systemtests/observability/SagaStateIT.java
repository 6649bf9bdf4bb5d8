package io.txlab.systemtests.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.systemtests.support.Orders;
import io.txlab.systemtests.support.OrdersClient;
import io.txlab.systemtests.support.SystemStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /orders/{id}/steps} on the full stack: the same document for every flow, read from the flow's own
 * records (the participants' rows, the workflow query, the coordinator, the cockroach transaction).
 */
class SagaStateIT {

    private static final Duration FINAL = Duration.ofSeconds(60);

    private final SystemStack stack = SystemStack.get();

    @Test
    void aDeclinedChoreographyOrderShowsItsStepsAndTheStockRelease() {
        UUID order = placeFinal(Flow.CHOREOGRAPHY, Orders.BROKE, "CANCELLED");

        JsonNode saga = steps(order);

        assertThat(saga.get("source").asString()).isEqualTo("participants");
        assertThat(names(saga.get("steps")))
                .containsExactly("place-order", "reserve-stock", "authorize-payment", "cancel-order");
        assertThat(saga.get("steps").get(2).get("outcome").asString()).isEqualTo("DECLINED");
        assertThat(names(saga.get("compensations"))).containsExactly("release-stock");
        assertThat(saga.get("compensations").get(0).get("at").isNull()).isFalse();
    }

    @Test
    void aConfirmedOrchestrationOrderShowsTheWorkflowsSteps() {
        UUID order = placeFinal(Flow.ORCHESTRATION, Orders.RICH, "CONFIRMED");

        JsonNode saga = steps(order);

        assertThat(saga.get("source").asString()).isEqualTo("workflow");
        assertThat(names(saga.get("steps")))
                .containsExactly("place-order", "reserve-stock", "authorize-payment", "confirm-order");
        assertThat(names(saga.get("compensations"))).isEmpty();
    }

    @Test
    void aConfirmedTwopcOrderShowsTheCoordinatorsDecision() {
        UUID order = placeFinal(Flow.TWOPC, Orders.RICH, "CONFIRMED");

        JsonNode saga = steps(order);

        assertThat(names(saga.get("steps"))).contains("global-transaction", "reserve-stock", "authorize-payment",
                "confirm-order");
        assertThat(saga.get("note").isNull()).as("%s", saga).isTrue();
    }

    @Test
    void aCockroachOrderIsOneTransaction() {
        UUID order = placeFinal(Flow.COCKROACH, Orders.RICH, "CONFIRMED");

        JsonNode saga = steps(order);

        assertThat(names(saga.get("steps"))).containsExactly("serializable-transaction");
    }

    private UUID placeFinal(Flow flow, String customer, String status) {
        OrdersClient.Response placed = stack.orders().place(flow, customer, Orders.happy());
        assertThat(placed.status()).as("%s", placed.body()).isEqualTo(201);
        assertThat(stack.orders().awaitFinal(placed.orderId(), FINAL).get("status").asString()).isEqualTo(status);
        return placed.orderId();
    }

    private JsonNode steps(UUID order) {
        OrdersClient.Response response = stack.orders().getPath("/orders/" + order + "/steps");
        assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
        return response.body();
    }

    private static List<String> names(JsonNode steps) {
        List<String> names = new ArrayList<>();
        steps.forEach(step -> names.add(step.get("name").asString()));
        return names;
    }
}
