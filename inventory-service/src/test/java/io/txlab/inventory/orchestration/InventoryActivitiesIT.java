package io.txlab.inventory.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.inventory.StockLine;
import io.txlab.contracts.orchestration.ReleaseStock;
import io.txlab.contracts.orchestration.ReserveStock;
import io.txlab.contracts.orchestration.SettleReservation;
import io.txlab.contracts.orchestration.StockReservationResult;
import io.txlab.inventory.InventoryTestContext;
import io.txlab.inventory.inventory.ReservationStatus;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The stock activities called directly, as the Temporal worker calls them, against the service's real database. */
class InventoryActivitiesIT extends InventoryTestContext {

    @Autowired
    InventoryActivitiesImpl activities;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void stockIsConserved() {
        assertThat(jdbc.sql("SELECT count(*) FROM stock_conservation WHERE discrepancy <> 0").query(Long.class).single())
                .isZero();
    }

    @Test
    void reservingTwiceForOneRequestTakesTheStockOnce() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0011");
        ReserveStock command = ReserveStock.forOrder(orderId, List.of(new StockLine("SKU-0011", 3)));

        StockReservationResult first = activities.reserveStock(command, 1);
        StockReservationResult retried = activities.reserveStock(command, 1);

        assertThat(first).isEqualTo(StockReservationResult.reserved());
        assertThat(retried).isEqualTo(first);
        assertThat(available("SKU-0011")).isEqualTo(before - 3);
        assertThat(status(orderId)).isEqualTo(ReservationStatus.RESERVED.name());
    }

    @Test
    void outOfStockAndUnknownSkuAreResultsThatTakeNothing() {
        int hot = available("SKU-0012");
        UUID soldOut = UUID.randomUUID();
        UUID unknown = UUID.randomUUID();

        assertThat(activities.reserveStock(ReserveStock.forOrder(soldOut,
                List.of(new StockLine("SKU-0012", 1), new StockLine("SOLDOUT-01", 1))), 1))
                .isEqualTo(StockReservationResult.rejected(RejectionReason.OUT_OF_STOCK));
        assertThat(activities.reserveStock(ReserveStock.forOrder(unknown, List.of(new StockLine("NO-SUCH-SKU", 1))), 1))
                .isEqualTo(StockReservationResult.rejected(RejectionReason.UNKNOWN_SKU));

        assertThat(available("SKU-0012")).isEqualTo(hot);
        assertThat(status(soldOut)).isEqualTo(ReservationStatus.REJECTED.name());
    }

    @Test
    void releasingTwiceReturnsTheStockOnce() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0013");
        activities.reserveStock(ReserveStock.forOrder(orderId, List.of(new StockLine("SKU-0013", 2))), 1);

        activities.releaseStock(ReleaseStock.forOrder(orderId));
        activities.releaseStock(ReleaseStock.forOrder(orderId));

        assertThat(available("SKU-0013")).isEqualTo(before);
        assertThat(status(orderId)).isEqualTo(ReservationStatus.RELEASED.name());
    }

    @Test
    void aReserveThatArrivesAfterItsReleaseIsRejectedAsTechnicalFailureAndTakesNothing() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0014");

        activities.releaseStock(ReleaseStock.forOrder(orderId));
        StockReservationResult late = activities.reserveStock(
                ReserveStock.forOrder(orderId, List.of(new StockLine("SKU-0014", 1))), 1);

        assertThat(late).isEqualTo(StockReservationResult.rejected(RejectionReason.TECHNICAL_FAILURE));
        assertThat(available("SKU-0014")).isEqualTo(before);
        assertThat(status(orderId)).isEqualTo(ReservationStatus.RELEASED.name());
    }

    @Test
    void invalidInputIsANonRetryableFailure() {
        assertThatThrownBy(() -> activities.reserveStock(ReserveStock.forOrder(UUID.randomUUID(), List.of()), 1))
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.isNonRetryable()).isTrue();
                    assertThat(failure.getType()).isEqualTo("InvalidInput");
                });
    }

    @Test
    void underASemanticLockACompetingReserveWaitsWhilePendingOrdersHoldTheStockThenGetsItWhenTheyGiveItBack() {
        String sku = flaggedProduct(1);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        assertThat(activities.reserveStock(ReserveStock.forOrder(first, List.of(new StockLine(sku, 1))), 1))
                .isEqualTo(StockReservationResult.reservedPending());
        assertThat(pending(first)).isTrue();

        assertThatThrownBy(() -> activities.reserveStock(ReserveStock.forOrder(second, List.of(new StockLine(sku, 1))), 3))
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.isNonRetryable()).isFalse();
                    assertThat(failure.getType()).isEqualTo(InventoryActivitiesImpl.STOCK_HELD_BY_PENDING_ORDERS);
                    assertThat(failure.getNextRetryDelay()).isEqualTo(InventoryActivitiesImpl.WAIT_STEP.multipliedBy(3));
                });
        assertThat(jdbc.sql("SELECT count(*) FROM reservation WHERE order_id = ?").param(second).query(Long.class)
                .single()).as("a waiting reserve leaves no row behind").isZero();

        activities.releaseStock(ReleaseStock.forOrder(first));
        assertThat(pending(first)).isFalse();
        assertThat(activities.reserveStock(ReserveStock.forOrder(second, List.of(new StockLine(sku, 1))), 4))
                .isEqualTo(StockReservationResult.reservedPending());

        activities.settleReservation(SettleReservation.forOrder(second));
        activities.settleReservation(SettleReservation.forOrder(second));
        assertThat(pending(second)).isFalse();
        assertThat(status(second)).isEqualTo(ReservationStatus.RESERVED.name());
        assertThat(available(sku)).isZero();
    }

    @Test
    void underASemanticLockAShortageNoPendingOrderCanMakeGoodIsRefusedAtOnceAndTheLastAttemptNeverWaits() {
        String sku = flaggedProduct(1);
        UUID settled = UUID.randomUUID();
        UUID held = UUID.randomUUID();
        activities.reserveStock(ReserveStock.forOrder(settled, List.of(new StockLine(sku, 1))), 1);
        activities.settleReservation(SettleReservation.forOrder(settled));

        assertThat(activities.reserveStock(ReserveStock.forOrder(UUID.randomUUID(), List.of(new StockLine(sku, 1))), 1))
                .as("the only unit is sold for good").isEqualTo(StockReservationResult.rejected(RejectionReason.OUT_OF_STOCK));

        String other = flaggedProduct(1);
        activities.reserveStock(ReserveStock.forOrder(held, List.of(new StockLine(other, 1))), 1);
        assertThat(activities.reserveStock(ReserveStock.forOrder(UUID.randomUUID(), List.of(new StockLine(other, 1))),
                InventoryActivitiesImpl.WAIT_ATTEMPTS))
                .as("the last attempt refuses instead of waiting")
                .isEqualTo(StockReservationResult.rejected(RejectionReason.OUT_OF_STOCK));
        activities.releaseStock(ReleaseStock.forOrder(held));
    }

    @Test
    void productsWithoutTheFlagAreNeverHeldAsPending() {
        UUID orderId = UUID.randomUUID();
        assertThat(activities.reserveStock(ReserveStock.forOrder(orderId, List.of(new StockLine("SKU-0016", 1))), 1))
                .isEqualTo(StockReservationResult.reserved());
        assertThat(pending(orderId)).isFalse();
        activities.releaseStock(ReleaseStock.forOrder(orderId));
    }

    /** A product of its own under a semantic lock, with {@code units} on the shelf. */
    private String flaggedProduct(int units) {
        String sku = "TEST-SEMLOCK-" + UUID.randomUUID(); // sorts after the seeded catalogue, whose pages other tests read
        jdbc.sql("INSERT INTO product (sku, name, price, initial_stock, available, semantic_lock) VALUES (?, ?, 10.00, ?, ?, true)")
                .params(sku, "Semantic lock test product", units, units).update();
        return sku;
    }

    private boolean pending(UUID orderId) {
        return jdbc.sql("SELECT pending FROM reservation WHERE order_id = ?").param(orderId).query(Boolean.class).single();
    }

    private int available(String sku) {
        return jdbc.sql("SELECT available FROM product WHERE sku = ?").param(sku).query(Integer.class).single();
    }

    private String status(UUID orderId) {
        return jdbc.sql("SELECT status FROM reservation WHERE order_id = ?").param(orderId).query(String.class)
                .single();
    }
}
