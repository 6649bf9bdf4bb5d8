package io.txlab.loadtests.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.loadtests.config.WorkloadMix;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.Outcome;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The floor against real PostgreSQL: it builds its stock and money tables from the cores' schema files (so the
 * core's checks and views hold for it too), and each generated kind of order ends as every flow ends it.
 */
class FloorBenchmarkIT {

    @Test
    void placesTheGeneratedOrdersOverTheCoresTablesAndConservesStockAndMoney() throws Exception {
        Database any = TestInfra.postgres().freshDatabase("floor_admin");
        FloorBenchmark floor = new FloorBenchmark(any.jdbcUrl(), any.username(), any.password());
        try {
            floor.prepare();
            List<OrderSample> samples = floor.run(40, Duration.ofSeconds(3), new WorkloadMix(60, 20, 20), 7, "floor-it");

            assertThat(samples).hasSize(120);
            Map<String, Map<Outcome, Long>> byKind = samples.stream().collect(Collectors.groupingBy(
                    OrderSample::kind, Collectors.groupingBy(OrderSample::outcome, Collectors.counting())));
            assertThat(byKind.get("SUCCEED")).containsOnlyKeys(Outcome.CONFIRMED);
            assertThat(byKind.get("DECLINED")).containsOnlyKeys(Outcome.CANCELLED);
            assertThat(byKind.get("OUT_OF_STOCK")).containsOnlyKeys(Outcome.CANCELLED);
            assertThat(samples).filteredOn(s -> s.kind().equals("DECLINED"))
                    .allSatisfy(s -> assertThat(s.reason()).isEqualTo("INSUFFICIENT_FUNDS"));
            assertThat(samples).filteredOn(s -> s.kind().equals("OUT_OF_STOCK"))
                    .allSatisfy(s -> assertThat(s.reason()).isEqualTo("OUT_OF_STOCK"));

            // The cores' own views: every unit and every cent accounted for by a reservation or a payment.
            String floorUrl = floor.where();
            try (Connection c = DriverManager.getConnection(floorUrl, any.username(), any.password());
                 Statement st = c.createStatement()) {
                assertThat(count(st, "SELECT count(*) FROM stock_conservation WHERE discrepancy <> 0")).isZero();
                assertThat(count(st, "SELECT count(*) FROM money_conservation WHERE discrepancy <> 0")).isZero();
                assertThat(count(st, "SELECT count(*) FROM reservation WHERE status = 'RESERVED'"))
                        .isEqualTo(byKind.get("SUCCEED").get(Outcome.CONFIRMED));
            }
        } finally {
            floor.drop();
        }
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
