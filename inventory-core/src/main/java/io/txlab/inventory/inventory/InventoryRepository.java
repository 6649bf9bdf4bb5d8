package io.txlab.inventory.inventory;

import io.txlab.contracts.RejectionReason;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for products and reservations. Runs in the caller's transaction (JdbcClient binds to the Spring-managed
 * connection), so a pattern package can add its outbox row or its PREPARE TRANSACTION around it.
 */
@Repository
public class InventoryRepository {

    private final JdbcClient jdbc;

    public InventoryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Product> findProduct(String sku) {
        return jdbc.sql("SELECT sku, name, price, available FROM product WHERE sku = :sku")
                .param("sku", sku)
                .query(InventoryRepository::product)
                .optional();
    }

    public List<Product> findProducts(int offset, int limit) {
        return jdbc.sql("SELECT sku, name, price, available FROM product ORDER BY sku OFFSET :offset LIMIT :limit")
                .param("offset", offset)
                .param("limit", limit)
                .query(InventoryRepository::product)
                .list();
    }

    /**
     * Inserts a RESERVED reservation row unless the order already has one. A concurrent insert of the same order
     * makes this wait on the primary key until that transaction ends, so exactly one caller gets {@code true}.
     */
    public boolean claimReservation(UUID orderId) {
        return jdbc.sql("""
                        INSERT INTO reservation (order_id, status, created_at) VALUES (:orderId, 'RESERVED', now())
                        ON CONFLICT (order_id) DO NOTHING""")
                .param("orderId", orderId)
                .update() == 1;
    }

    /** Inserts a RELEASED reservation without lines unless the order already has a reservation. */
    public boolean insertTombstone(UUID orderId) {
        return jdbc.sql("""
                        INSERT INTO reservation (order_id, status, created_at, released_at)
                        VALUES (:orderId, 'RELEASED', now(), now())
                        ON CONFLICT (order_id) DO NOTHING""")
                .param("orderId", orderId)
                .update() == 1;
    }

    /**
     * Locks the products' rows in SKU order and returns their available stock by SKU (unknown SKUs are absent), and
     * whether each is under a semantic lock. Every transaction that touches several products locks them in this same
     * order, so none can deadlock.
     */
    public Map<String, LockedStock> lockStock(Collection<String> skus) {
        Map<String, LockedStock> available = new LinkedHashMap<>();
        jdbc.sql("SELECT sku, available, semantic_lock FROM product WHERE sku IN (:skus) ORDER BY sku FOR UPDATE")
                .param("skus", skus)
                .query((RowCallbackHandler) rs -> available.put(rs.getString("sku"),
                        new LockedStock(rs.getInt("available"), rs.getBoolean("semantic_lock"))));
        return available;
    }

    /** A product's stock as read under its row lock, and whether it is under a semantic lock (ADR 44). */
    public record LockedStock(int available, boolean semanticLock) {
    }

    /** Units of each SKU held by pending reservations (ADR 44); SKUs without any are absent. */
    public Map<String, Integer> pendingStock(Collection<String> skus) {
        Map<String, Integer> held = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT l.sku, sum(l.quantity) AS quantity FROM reservation_line l
                        JOIN reservation r ON r.order_id = l.order_id
                        WHERE r.pending AND l.sku IN (:skus) GROUP BY l.sku""")
                .param("skus", skus)
                .query((RowCallbackHandler) rs -> held.put(rs.getString("sku"), rs.getInt("quantity")));
        return held;
    }

    public void markPending(UUID orderId) {
        jdbc.sql("UPDATE reservation SET pending = true WHERE order_id = :orderId")
                .param("orderId", orderId)
                .update();
    }

    /** Clears a pending reservation's semantic lock; {@code false} if it was not pending (settled before, or never). */
    public boolean markSettled(UUID orderId) {
        return jdbc.sql("UPDATE reservation SET pending = false, settled_at = now() WHERE order_id = :orderId AND pending")
                .param("orderId", orderId)
                .update() == 1;
    }

    /** Takes stock only if enough is there; {@code false} means nothing changed. */
    public boolean takeStock(String sku, int quantity) {
        return jdbc.sql("""
                        UPDATE product SET available = available - :quantity
                        WHERE sku = :sku AND available >= :quantity""")
                .param("quantity", quantity)
                .param("sku", sku)
                .update() == 1;
    }

    public void returnStock(String sku, int quantity) {
        int updated = jdbc.sql("UPDATE product SET available = available + :quantity WHERE sku = :sku")
                .param("quantity", quantity)
                .param("sku", sku)
                .update();
        if (updated != 1) {
            throw new IllegalStateException("product " + sku + " vanished while stock was held for it");
        }
    }

    public void insertLines(UUID orderId, List<StockLine> lines) {
        for (StockLine line : lines) {
            jdbc.sql("INSERT INTO reservation_line (order_id, sku, quantity) VALUES (:orderId, :sku, :quantity)")
                    .param("orderId", orderId)
                    .param("sku", line.sku())
                    .param("quantity", line.quantity())
                    .update();
        }
    }

    public void markRejected(UUID orderId, RejectionReason reason) {
        jdbc.sql("UPDATE reservation SET status = 'REJECTED', reason = :reason WHERE order_id = :orderId")
                .param("reason", reason.name())
                .param("orderId", orderId)
                .update();
    }

    public void markReleased(UUID orderId) {
        jdbc.sql("""
                        UPDATE reservation SET status = 'RELEASED', released_at = now(), pending = false
                        WHERE order_id = :orderId""")
                .param("orderId", orderId)
                .update();
    }

    public Optional<Reservation> find(UUID orderId) {
        return find(orderId, false);
    }

    /** Reads the reservation and row-locks it until the transaction ends. */
    public Optional<Reservation> lock(UUID orderId) {
        return find(orderId, true);
    }

    private Optional<Reservation> find(UUID orderId, boolean forUpdate) {
        Optional<ReservationRow> row = jdbc.sql("""
                        SELECT order_id, status, reason, created_at, released_at, pending FROM reservation
                        WHERE order_id = :orderId""" + (forUpdate ? " FOR UPDATE" : ""))
                .param("orderId", orderId)
                .query((rs, n) -> new ReservationRow(
                        ReservationStatus.valueOf(rs.getString("status")),
                        Optional.ofNullable(rs.getString("reason")).map(RejectionReason::valueOf).orElse(null),
                        instant(rs, "created_at"),
                        instant(rs, "released_at"),
                        rs.getBoolean("pending")))
                .optional();
        return row.map(r -> new Reservation(orderId, r.status(), r.reason(), lines(orderId), r.createdAt(),
                r.releasedAt(), r.pending()));
    }

    private List<StockLine> lines(UUID orderId) {
        return jdbc.sql("SELECT sku, quantity FROM reservation_line WHERE order_id = :orderId ORDER BY sku")
                .param("orderId", orderId)
                .query((rs, n) -> new StockLine(rs.getString("sku"), rs.getInt("quantity")))
                .list();
    }

    private static Product product(ResultSet rs, int row) throws SQLException {
        return new Product(rs.getString("sku"), rs.getString("name"), rs.getBigDecimal("price"),
                rs.getInt("available"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private record ReservationRow(
            ReservationStatus status, RejectionReason reason, Instant createdAt, Instant releasedAt,
            boolean pending) {
    }
}
