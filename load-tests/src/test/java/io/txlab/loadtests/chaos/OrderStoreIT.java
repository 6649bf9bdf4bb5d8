package io.txlab.loadtests.chaos;

import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.loadtests.support.Migrations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chaos recovery's view of a run against real PostgreSQL: the orders database built from order-service's
 * migrations and the cockroach flow's database from the same files, as order-service builds it. A run's orders are
 * found in both; pending orders are counted where the flow keeps them.
 */
class OrderStoreIT {

    private Database orders;
    private Database cockroach;

    @BeforeEach
    void databases() throws Exception {
        orders = TestInfra.postgres().freshDatabase("store_orders");
        cockroach = TestInfra.postgres().freshDatabase("store_cockroach");
        Migrations.service(orders, "order-service");
    }

    @Test
    void findsTheOrdersOfARunInBothDatabases() throws Exception {
        Migrations.cockroach(cockroach);
        UUID pending = order(orders, "choreography", "PENDING", "run1-chaos-1", "now() - interval '3 seconds'");
        UUID cockroachOrder = order(cockroach, "cockroach", "CONFIRMED", "run1-chaos-2", "now() - interval '2 seconds'");
        UUID confirmed = order(orders, "twopc", "CONFIRMED", "run1-chaos-3", "now() - interval '1 second'");
        order(orders, "choreography", "CONFIRMED", "run10-chaos-1", "now()");
        order(cockroach, "cockroach", "CONFIRMED", "run2-chaos-1", "now()");

        List<OrderStore.StoredOrder> run = store(cockroach.jdbcUrl()).ordersOfRun("run1");

        assertThat(run).extracting(OrderStore.StoredOrder::id)
                .containsExactly(pending.toString(), cockroachOrder.toString(), confirmed.toString());
        assertThat(run).extracting(OrderStore.StoredOrder::flow).containsExactly("choreography", "cockroach", "twopc");
        assertThat(run.get(0).completedEpochMs()).isNull();
        assertThat(run.get(1).status()).isEqualTo("CONFIRMED");
        assertThat(run.get(1).completedEpochMs()).isNotNull();
    }

    @Test
    void countsPendingOrdersOfTheRunInTheDatabaseOfTheFlow() throws Exception {
        Migrations.cockroach(cockroach);
        order(orders, "choreography", "PENDING", "run3-latency-1", "now()");
        // lost by an earlier run (e.g. an event dropped at a crash): PENDING for good, not this run's to wait for
        order(orders, "choreography", "PENDING", "run2-chaos-7", "now() - interval '1 hour'");
        order(orders, "choreography", "CONFIRMED", "run3-latency-2", "now()");
        // a cockroach order in the orders database is not one the cockroach flow placed: it is not counted
        order(orders, "cockroach", "PENDING", "run3-latency-3", "now()");
        order(cockroach, "cockroach", "CONFIRMED", "run3-latency-4", "now()");

        OrderStore store = store(cockroach.jdbcUrl());

        assertThat(store.pendingOrders("choreography", "run3")).isEqualTo(1);
        assertThat(store.pendingOrders("choreography", "run2")).isEqualTo(1);
        assertThat(store.pendingOrders("cockroach", "run3")).isZero();
    }

    @Test
    void aCockroachDatabaseNotMigratedYetHoldsNoOrders() throws Exception {
        UUID choreography = order(orders, "choreography", "CONFIRMED", "run4-chaos-1", "now()");

        OrderStore store = store(cockroach.jdbcUrl());

        assertThat(store.ordersOfRun("run4")).extracting(OrderStore.StoredOrder::id).containsExactly(choreography.toString());
        assertThat(store.pendingOrders("cockroach", "run4")).isZero();
    }

    @Test
    void anUnreachableDatabaseSurfacesAsSqlExceptionForTheCallerToRetry() throws Exception {
        order(orders, "choreography", "CONFIRMED", "run5-chaos-1", "now()");
        OrderStore store = store("jdbc:postgresql://127.0.0.1:1/txlab");

        assertThatThrownBy(() -> store.ordersOfRun("run5")).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> store.pendingOrders("cockroach", "run5")).isInstanceOf(SQLException.class);
        assertThat(store.pendingOrders("choreography", "run5")).isZero();
    }

    private OrderStore store(String cockroachUrl) {
        return new OrderStore(orders.jdbcUrl(), cockroachUrl, orders.username(), orders.password());
    }

    /** An order row in either database; the cockroach database's rows carry its extra NOT NULL columns. */
    private UUID order(Database db, String flow, String status, String key, String createdAt) throws SQLException {
        UUID id = UUID.randomUUID();
        boolean cockroachDb = db.equals(cockroach);
        String completedAt = status.equals("PENDING") ? "null" : createdAt + " + interval '10 milliseconds'";
        Migrations.exec(db, "INSERT INTO purchase_order (id, customer_id, flow, status, total, created_at, completed_at, "
                + "idempotency_key" + (cockroachDb ? ", retries" : "") + ") VALUES ('" + id + "', 'C-0001', '" + flow
                + "', '" + status + "', 10.00, " + createdAt + ", " + completedAt + ", '" + key + "'"
                + (cockroachDb ? ", 0" : "") + ")");
        return id;
    }
}
