package io.txlab.order.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.OrderServiceTestContext;
import io.txlab.order.RecordedEvents;
import io.txlab.order.RecordingFlow;
import io.txlab.platform.idempotency.IdempotencyKeyReusedException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class OrderServiceIT extends OrderServiceTestContext {

    @Autowired
    OrderService orders;
    @Autowired
    RecordingFlow launcher;
    @Autowired
    RecordedEvents events;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    OrderFlows flows;

    @Test
    void placeStoresAPendingOrderAndStartsItsFlowOnceAfterCommit() {
        String key = Orders.newKey();

        PlacementResult first = flows.place(key, Orders.choreography());
        PlacementResult again = flows.place(key, Orders.choreography());

        assertThat(first.replayed()).isFalse();
        assertThat(first.order().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(again.replayed()).isTrue();
        assertThat(again.order()).isEqualTo(first.order());
        assertThat(orders.find(first.order().id())).contains(first.order());
        assertThat(launcher.starts(first.order().id()))
                .containsExactly(new RecordingFlow.Start(first.order().id(), true));
    }

    @Test
    void aKeyReusedForAnotherOrderIsRefused() {
        String key = Orders.newKey();
        flows.place(key, Orders.choreography());
        PlaceOrder other = new PlaceOrder("C-0002", Flow.CHOREOGRAPHY, Orders.choreography().lines());

        assertThatThrownBy(() -> flows.place(key, other)).isInstanceOf(IdempotencyKeyReusedException.class);
    }

    @Test
    void concurrentPlacementsWithOneKeyCreateOneOrder() throws Exception {
        String key = Orders.newKey();
        List<PlacementResult> results = runConcurrently(8, () -> flows.place(key, Orders.choreography()));

        assertThat(results).extracting(result -> result.order().id()).containsOnly(results.get(0).order().id());
        assertThat(results).filteredOn(result -> !result.replayed()).hasSize(1);
        assertThat(launcher.starts(results.get(0).order().id())).hasSize(1);
    }

    @Test
    void aFlowThatIsNotSwitchedOnIsRefusedBeforeAnythingIsWritten() {
        String key = Orders.newKey();
        // Not in the test context's txlab.flows.enabled.
        Flow missing = Flow.OUTBOX;
        PlaceOrder unimplemented = new PlaceOrder("C-0001", missing, Orders.choreography().lines());

        assertThatThrownBy(() -> flows.place(key, unimplemented))
                .isInstanceOf(FlowNotImplementedException.class)
                .hasMessage(new FlowNotImplementedException(missing, flows.implemented()).getMessage());
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_key WHERE idempotency_key = ?").param(key)
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM purchase_order WHERE idempotency_key = ?").param(key)
                .query(Long.class).single()).isZero();
    }

    @Test
    void aFlowThatCannotStartCancelsTheOrderAsTechnicalFailure() {
        launcher.failNext();

        Order order = flows.place(Orders.newKey(), Orders.choreography()).order();

        assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.reason()).isEqualTo("TECHNICAL_FAILURE");
        assertThat(events.finalized(order.id())).hasSize(1);
    }

    @Test
    void placeRefusesToRunInsideATransaction() {
        TransactionTemplate tx = new TransactionTemplate(transactionManager);

        assertThatThrownBy(() -> tx.executeWithoutResult(status -> flows.place(Orders.newKey(),
                Orders.choreography()))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void confirmIsIdempotentAndPublishesOnce() {
        UUID id = placed();

        Order confirmed = orders.confirm(id);
        Order again = orders.confirm(id);

        assertThat(confirmed.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(confirmed.completedAt()).isNotNull();
        assertThat(again).isEqualTo(confirmed);
        assertThat(events.finalized(id)).extracting(OrderFinalized::order).containsExactly(confirmed);
    }

    @Test
    void cancelIsIdempotentAndKeepsTheFirstReason() {
        UUID id = placed();

        Order cancelled = orders.cancel(id, "OUT_OF_STOCK");
        Order again = orders.cancel(id, "INSUFFICIENT_FUNDS");

        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.reason()).isEqualTo("OUT_OF_STOCK");
        assertThat(again).isEqualTo(cancelled);
        assertThat(events.finalized(id)).hasSize(1);
    }

    @Test
    void aFinalOrderNeverChangesAgain() {
        UUID confirmedId = placed();
        UUID cancelledId = placed();
        Order confirmed = orders.confirm(confirmedId);
        Order cancelled = orders.cancel(cancelledId, "UNKNOWN_SKU");

        assertThat(orders.cancel(confirmedId, "OUT_OF_STOCK")).isEqualTo(confirmed);
        assertThat(orders.confirm(cancelledId)).isEqualTo(cancelled);
        assertThat(events.finalized(confirmedId)).hasSize(1);
        assertThat(events.finalized(cancelledId)).hasSize(1);
    }

    @Test
    void racingConfirmAndCancelFinalizeExactlyOnce() throws Exception {
        for (int round = 0; round < 10; round++) {
            UUID id = placed();
            CountDownLatch go = new CountDownLatch(2);
            List<Order> results = runConcurrently(2, () -> {
                go.countDown();
                go.await();
                return orders.confirm(id);
            }, () -> {
                go.countDown();
                go.await();
                return orders.cancel(id, "OUT_OF_STOCK");
            });

            Order stored = orders.find(id).orElseThrow();
            assertThat(stored.isFinal()).isTrue();
            assertThat(results).containsOnly(stored);
            assertThat(events.finalized(id)).extracting(OrderFinalized::order).containsExactly(stored);
        }
    }

    @Test
    void joinsTheCallersTransactionAndPublishesOnlyAfterItCommits() {
        UUID committed = placed();
        UUID rolledBack = placed();
        TransactionTemplate tx = new TransactionTemplate(transactionManager);

        tx.executeWithoutResult(status -> {
            orders.confirm(committed);
            assertThat(events.finalized(committed)).isEmpty();
        });
        tx.executeWithoutResult(status -> {
            orders.confirm(rolledBack);
            status.setRollbackOnly();
        });

        assertThat(events.finalized(committed)).hasSize(1);
        assertThat(events.finalized(rolledBack)).isEmpty();
        assertThat(orders.find(rolledBack).orElseThrow().status()).isEqualTo(OrderStatus.PENDING);
    }

    @Test
    void anOrderIsReadAndFinalizedWithEveryLineInTheOrderItWasPlaced() {
        List<OrderLine> lines = List.of(
                new OrderLine("SKU-0003", 1, new BigDecimal("13.00")),
                new OrderLine("SKU-0001", 2, new BigDecimal("11.00")),
                new OrderLine("SKU-0002", 3, new BigDecimal("12.00")));
        Order placed = flows.place(Orders.newKey(), new PlaceOrder("C-0001", Flow.CHOREOGRAPHY, lines)).order();

        Order read = orders.find(placed.id()).orElseThrow();
        Order confirmed = orders.confirm(placed.id());

        assertThat(read).isEqualTo(placed);
        assertThat(confirmed.lines()).isEqualTo(lines);
        assertThat(confirmed.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(orders.find(placed.id())).contains(confirmed);
    }

    @Test
    void finalizingAnUnknownOrderFails() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> orders.confirm(unknown)).isInstanceOf(OrderNotFoundException.class);
        assertThatThrownBy(() -> orders.cancel(unknown, "OUT_OF_STOCK")).isInstanceOf(OrderNotFoundException.class);
    }

    private UUID placed() {
        return flows.place(Orders.newKey(), Orders.choreography()).order().id();
    }

    @SafeVarargs
    private static <T> List<T> runConcurrently(int threads, Callable<T>... tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(tasks[i % tasks.length]));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
