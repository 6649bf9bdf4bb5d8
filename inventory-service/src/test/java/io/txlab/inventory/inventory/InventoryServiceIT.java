package io.txlab.inventory.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.contracts.RejectionReason;
import io.txlab.devstack.testing.Concurrently;
import io.txlab.inventory.InventoryTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

class InventoryServiceIT extends InventoryTestContext {

    @Autowired
    InventoryService inventory;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transaction;

    @AfterEach
    void stockIsConserved() {
        assertThat(jdbc.sql("SELECT count(*) FROM stock_conservation WHERE discrepancy <> 0").query(Long.class).single())
                .as("products whose initial stock != available + reserved")
                .isZero();
    }

    @Test
    void reservesEveryLineAndTakesTheStock() {
        UUID orderId = UUID.randomUUID();
        int sku1 = available("SKU-0001");
        int sku2 = available("SKU-0002");

        ReservationOutcome outcome = inventory.reserve(orderId,
                List.of(new StockLine("SKU-0002", 3), new StockLine("SKU-0001", 2)));

        assertThat(outcome.result()).isEqualTo(ReservationOutcome.Result.RESERVED);
        assertThat(outcome.replayed()).isFalse();
        assertThat(outcome.reason()).isNull();
        assertThat(outcome.lines()).containsExactly(new StockLine("SKU-0001", 2), new StockLine("SKU-0002", 3));
        assertThat(available("SKU-0001")).isEqualTo(sku1 - 2);
        assertThat(available("SKU-0002")).isEqualTo(sku2 - 3);
        Reservation stored = inventory.find(orderId).orElseThrow();
        assertThat(stored.status()).isEqualTo(ReservationStatus.RESERVED);
        assertThat(stored.lines()).isEqualTo(outcome.lines());
        assertThat(stored.createdAt()).isNotNull();
        assertThat(stored.releasedAt()).isNull();
    }

    @Test
    void linesNamingTheSameSkuAreSummed() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0003");

        ReservationOutcome outcome = inventory.reserve(orderId,
                List.of(new StockLine("SKU-0003", 1), new StockLine("SKU-0003", 4)));

        assertThat(outcome.lines()).containsExactly(new StockLine("SKU-0003", 5));
        assertThat(available("SKU-0003")).isEqualTo(before - 5);
    }

    @Test
    void reservesNothingWhenOneLineIsShort() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0004");

        ReservationOutcome outcome = inventory.reserve(orderId,
                List.of(new StockLine("SKU-0004", 1), new StockLine("SOLDOUT-01", 1)));

        assertThat(outcome.result()).isEqualTo(ReservationOutcome.Result.REJECTED);
        assertThat(outcome.reason()).isEqualTo(RejectionReason.OUT_OF_STOCK);
        assertThat(outcome.lines()).isEmpty();
        assertThat(available("SKU-0004")).isEqualTo(before);
        assertThat(available("SOLDOUT-01")).isZero();
        Reservation stored = inventory.find(orderId).orElseThrow();
        assertThat(stored.status()).isEqualTo(ReservationStatus.REJECTED);
        assertThat(stored.reason()).isEqualTo(RejectionReason.OUT_OF_STOCK);
        assertThat(stored.lines()).isEmpty();
    }

    @Test
    void unknownSkuRejectsTheWholeOrderEvenWhenAnotherLineIsAlsoShort() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0005");

        ReservationOutcome outcome = inventory.reserve(orderId, List.of(
                new StockLine("SKU-0005", 1), new StockLine("NO-SUCH-SKU", 1), new StockLine("SOLDOUT-02", 1)));

        assertThat(outcome.result()).isEqualTo(ReservationOutcome.Result.REJECTED);
        assertThat(outcome.reason()).isEqualTo(RejectionReason.UNKNOWN_SKU);
        assertThat(available("SKU-0005")).isEqualTo(before);
        assertThat(lineCount(orderId)).isZero();
    }

    @Test
    void reservingTheSameOrderTwiceTakesStockOnce() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0006");
        List<StockLine> lines = List.of(new StockLine("SKU-0006", 7));

        ReservationOutcome first = inventory.reserve(orderId, lines);
        ReservationOutcome second = inventory.reserve(orderId, lines);

        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.result()).isEqualTo(ReservationOutcome.Result.RESERVED);
        assertThat(second.lines()).isEqualTo(first.lines());
        assertThat(available("SKU-0006")).isEqualTo(before - 7);
        assertThat(reservationCount(orderId)).isEqualTo(1);
    }

    @Test
    void aReplayedRejectionStaysRejected() {
        UUID orderId = UUID.randomUUID();
        inventory.reserve(orderId, List.of(new StockLine("SOLDOUT-03", 1)));

        ReservationOutcome replay = inventory.reserve(orderId, List.of(new StockLine("SOLDOUT-03", 1)));

        assertThat(replay.replayed()).isTrue();
        assertThat(replay.result()).isEqualTo(ReservationOutcome.Result.REJECTED);
        assertThat(replay.reason()).isEqualTo(RejectionReason.OUT_OF_STOCK);
    }

    @Test
    void releasingTwiceReturnsTheStockOnce() {
        UUID orderId = UUID.randomUUID();
        int sku7 = available("SKU-0007");
        int sku8 = available("SKU-0008");
        inventory.reserve(orderId, List.of(new StockLine("SKU-0007", 2), new StockLine("SKU-0008", 5)));

        ReleaseOutcome first = inventory.release(orderId);
        ReleaseOutcome second = inventory.release(orderId);

        assertThat(first.result()).isEqualTo(ReleaseOutcome.Result.RELEASED);
        assertThat(first.returned()).containsExactly(new StockLine("SKU-0007", 2), new StockLine("SKU-0008", 5));
        assertThat(second.result()).isEqualTo(ReleaseOutcome.Result.ALREADY_RELEASED);
        assertThat(second.returned()).isEmpty();
        assertThat(available("SKU-0007")).isEqualTo(sku7);
        assertThat(available("SKU-0008")).isEqualTo(sku8);
        Reservation stored = inventory.find(orderId).orElseThrow();
        assertThat(stored.status()).isEqualTo(ReservationStatus.RELEASED);
        assertThat(stored.releasedAt()).isNotNull();
        assertThat(stored.isTombstone()).isFalse();
    }

    @Test
    void aReserveAfterTheReleaseIsRefusedAndTakesNothing() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0009");

        ReleaseOutcome release = inventory.release(orderId);
        ReservationOutcome late = inventory.reserve(orderId, List.of(new StockLine("SKU-0009", 1)));

        assertThat(release.result()).isEqualTo(ReleaseOutcome.Result.TOMBSTONE_RECORDED);
        assertThat(late.result()).isEqualTo(ReservationOutcome.Result.ALREADY_RELEASED);
        assertThat(late.reserved()).isFalse();
        assertThat(late.reason()).isNull();
        assertThat(available("SKU-0009")).isEqualTo(before);
        assertThat(inventory.find(orderId).orElseThrow().isTombstone()).isTrue();
        assertThat(inventory.release(orderId).result()).isEqualTo(ReleaseOutcome.Result.ALREADY_RELEASED);
    }

    @Test
    void releasingARejectedReservationChangesNothing() {
        UUID orderId = UUID.randomUUID();
        inventory.reserve(orderId, List.of(new StockLine("SOLDOUT-04", 1)));

        ReleaseOutcome release = inventory.release(orderId);

        assertThat(release.result()).isEqualTo(ReleaseOutcome.Result.NOTHING_RESERVED);
        assertThat(inventory.find(orderId).orElseThrow().status()).isEqualTo(ReservationStatus.REJECTED);
    }

    @Test
    void anOrderWithoutLinesIsAProgrammingError() {
        UUID orderId = UUID.randomUUID();

        assertThatThrownBy(() -> inventory.reserve(orderId, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StockLine("SKU-0001", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(reservationCount(orderId)).isZero();
    }

    @Test
    void joinsTheCallersTransaction() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0010");

        transaction.executeWithoutResult(status -> {
            assertThat(inventory.reserve(orderId, List.of(new StockLine("SKU-0010", 1))).reserved()).isTrue();
            status.setRollbackOnly();
        });

        assertThat(reservationCount(orderId)).isZero();
        assertThat(available("SKU-0010")).isEqualTo(before);
    }

    @Test
    void concurrentReservesOfOneSkuNeverOversell() throws Exception {
        int threads = 20;
        AtomicInteger reserved = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        List<UUID> orders = Collections.synchronizedList(new ArrayList<>());
        // Each thread keeps reserving one unit for a new order until HOT-01 runs out.
        Concurrently.run(threads, () -> {
            while (true) {
                UUID orderId = UUID.randomUUID();
                ReservationOutcome outcome = inventory.reserve(orderId, List.of(new StockLine("HOT-01", 1)));
                if (!outcome.reserved()) {
                    assertThat(outcome.reason()).isEqualTo(RejectionReason.OUT_OF_STOCK);
                    rejected.incrementAndGet();
                    return null;
                }
                orders.add(orderId);
                reserved.incrementAndGet();
            }
        });

        assertThat(reserved.get()).isEqualTo(100);
        assertThat(rejected.get()).isEqualTo(threads);
        assertThat(available("HOT-01")).isZero();

        Concurrently.run(threads, () -> {
            for (int i = 0; i < orders.size(); i++) {
                // Every thread releases every order: 20 concurrent releases per order, stock returned once each.
                inventory.release(orders.get(i));
            }
            return null;
        });
        assertThat(available("HOT-01")).isEqualTo(100);
    }

    @Test
    void concurrentReservesOfTheSameOrderTakeStockOnce() throws Exception {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0011");
        AtomicInteger firstCalls = new AtomicInteger();

        Concurrently.run(8, () -> {
            ReservationOutcome outcome = inventory.reserve(orderId, List.of(new StockLine("SKU-0011", 3)));
            assertThat(outcome.reserved()).isTrue();
            if (!outcome.replayed()) {
                firstCalls.incrementAndGet();
            }
            return null;
        });

        assertThat(firstCalls.get()).isEqualTo(1);
        assertThat(available("SKU-0011")).isEqualTo(before - 3);
    }

    @Test
    void aReleaseRacingItsReserveNeverLeaksStock() throws Exception {
        int before = available("SKU-0012");
        for (int i = 0; i < 25; i++) {
            UUID orderId = UUID.randomUUID();
            Concurrently.run(2, List.of(
                    () -> inventory.reserve(orderId, List.of(new StockLine("SKU-0012", 1))),
                    () -> inventory.release(orderId)));
            // Whichever ran first, the order ends released and holds nothing.
            assertThat(inventory.find(orderId).orElseThrow().status()).isEqualTo(ReservationStatus.RELEASED);
        }
        assertThat(available("SKU-0012")).isEqualTo(before);
    }

    private int available(String sku) {
        return jdbc.sql("SELECT available FROM product WHERE sku = :sku").param("sku", sku).query(Integer.class).single();
    }

    private long reservationCount(UUID orderId) {
        return jdbc.sql("SELECT count(*) FROM reservation WHERE order_id = :id").param("id", orderId)
                .query(Long.class).single();
    }

    private long lineCount(UUID orderId) {
        return jdbc.sql("SELECT count(*) FROM reservation_line WHERE order_id = :id").param("id", orderId)
                .query(Long.class).single();
    }
}
