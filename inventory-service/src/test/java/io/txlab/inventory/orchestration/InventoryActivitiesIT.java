package io.txlab.inventory.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.inventory.StockLine;
import io.txlab.contracts.orchestration.ReleaseStock;
import io.txlab.contracts.orchestration.ReserveStock;
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

        StockReservationResult first = activities.reserveStock(command);
        StockReservationResult retried = activities.reserveStock(command);

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
                List.of(new StockLine("SKU-0012", 1), new StockLine("SOLDOUT-01", 1)))))
                .isEqualTo(StockReservationResult.rejected(RejectionReason.OUT_OF_STOCK));
        assertThat(activities.reserveStock(ReserveStock.forOrder(unknown, List.of(new StockLine("NO-SUCH-SKU", 1)))))
                .isEqualTo(StockReservationResult.rejected(RejectionReason.UNKNOWN_SKU));

        assertThat(available("SKU-0012")).isEqualTo(hot);
        assertThat(status(soldOut)).isEqualTo(ReservationStatus.REJECTED.name());
    }

    @Test
    void releasingTwiceReturnsTheStockOnce() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0013");
        activities.reserveStock(ReserveStock.forOrder(orderId, List.of(new StockLine("SKU-0013", 2))));

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
                ReserveStock.forOrder(orderId, List.of(new StockLine("SKU-0014", 1))));

        assertThat(late).isEqualTo(StockReservationResult.rejected(RejectionReason.TECHNICAL_FAILURE));
        assertThat(available("SKU-0014")).isEqualTo(before);
        assertThat(status(orderId)).isEqualTo(ReservationStatus.RELEASED.name());
    }

    @Test
    void invalidInputIsANonRetryableFailure() {
        assertThatThrownBy(() -> activities.reserveStock(ReserveStock.forOrder(UUID.randomUUID(), List.of())))
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.isNonRetryable()).isTrue();
                    assertThat(failure.getType()).isEqualTo("InvalidInput");
                });
    }

    private int available(String sku) {
        return jdbc.sql("SELECT available FROM product WHERE sku = ?").param(sku).query(Integer.class).single();
    }

    private String status(UUID orderId) {
        return jdbc.sql("SELECT status FROM reservation WHERE order_id = ?").param(orderId).query(String.class)
                .single();
    }
}
