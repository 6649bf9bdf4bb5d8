package io.txlab.devstack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyTest {

    @Test
    void documentedPortsAndDatabases() {
        Topology t = Topology.local();
        assertThat(t.components()).extracting(ComponentSpec::name, ComponentSpec::port).containsExactly(
                org.assertj.core.groups.Tuple.tuple("postgres-order", 15431),
                org.assertj.core.groups.Tuple.tuple("postgres-inventory", 15432),
                org.assertj.core.groups.Tuple.tuple("postgres-payment", 15433),
                org.assertj.core.groups.Tuple.tuple("postgres-coordinator", 15434),
                org.assertj.core.groups.Tuple.tuple("postgres-cockroach", 15435),
                org.assertj.core.groups.Tuple.tuple("kafka", 19092),
                org.assertj.core.groups.Tuple.tuple("temporal", 17233),
                org.assertj.core.groups.Tuple.tuple("zipkin", 9411),
                org.assertj.core.groups.Tuple.tuple("links", 16000),
                org.assertj.core.groups.Tuple.tuple("order-service", 8081),
                org.assertj.core.groups.Tuple.tuple("inventory-service", 8082),
                org.assertj.core.groups.Tuple.tuple("payment-service", 8083),
                org.assertj.core.groups.Tuple.tuple("saga-orchestrator", 8084),
                org.assertj.core.groups.Tuple.tuple("twopc-coordinator", 8085));
        assertThat(t.component("postgres-coordinator").databases().get(0).name()).isEqualTo("coordinator");
        assertThat(t.component("postgres-coordinator").databases().get(0).extensions())
                .containsExactly("postgres_fdw", "dblink");
        assertThat(t.component("postgres-cockroach").databases().get(0).name()).isEqualTo("txlab");
        assertThat(t.component("postgres-order").databases().get(0).name()).isEqualTo("orders");
    }

    @Test
    void portOffsetShiftsEveryPort() {
        Topology t = Topology.withPortOffset(1000);
        assertThat(t.component("postgres-order").port()).isEqualTo(16431);
        assertThat(t.component("kafka").port()).isEqualTo(20092);
        assertThat(t.component("temporal").port()).isEqualTo(18233);
        assertThat(t.component("order-service").port()).isEqualTo(9081);
        assertThat(t.serviceEnvironment("order-service"))
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:16431/orders")
                .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:20092")
                .containsEntry("TXLAB_TEMPORAL_TARGET", "127.0.0.1:18233")
                .containsEntry("TXLAB_SERVICES_INVENTORY_URL", "http://127.0.0.1:9082");
        assertThatThrownBy(() -> Topology.withPortOffset(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fixedPortsAreEveryPortAStackBindsBesideTheEphemeralOnes() {
        Topology t = Topology.withPortOffset(100);
        assertThat(t.fixedPorts()).containsExactly(
                8181, 8182, 8183, 8184, 8185, // services
                9511, // zipkin
                15531, 15532, 15533, 15534, 15535, // postgres clusters
                16100, // link proxy admin
                17333, // temporal
                18181, 18182, 18183, // participants' internal ports
                19192, 19193, // broker, controller
                19194, 19195, 19196, // link proxy's broker links
                19197, 19198, 19199); // the broker's link listeners
    }

    @Test
    void orderServiceEnvironmentMatchesTheBrief() {
        Map<String, String> env = Topology.local().serviceEnvironment("order-service");
        assertThat(env)
                .containsEntry("SERVER_PORT", "8081")
                .containsEntry("SERVER_ADDRESS", "127.0.0.1")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:15431/orders")
                .containsEntry("SPRING_DATASOURCE_USERNAME", "txlab")
                .containsEntry("SPRING_DATASOURCE_PASSWORD", "txlab")
                .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
                .containsEntry("TXLAB_TEMPORAL_TARGET", "127.0.0.1:17233")
                .containsEntry("TXLAB_TEMPORAL_NAMESPACE", "default")
                .containsEntry("TXLAB_SERVICES_INVENTORY_URL", "http://127.0.0.1:8082")
                .containsEntry("TXLAB_SERVICES_PAYMENT_URL", "http://127.0.0.1:8083")
                .containsEntry("TXLAB_TWOPC_COORDINATOR_URL", "http://127.0.0.1:8085")
                .containsEntry("TXLAB_COCKROACH_URL", "jdbc:postgresql://127.0.0.1:15435/txlab")
                .containsEntry("TXLAB_COCKROACH_BACKEND", "postgresql-serializable-standin")
                .containsEntry("TXLAB_POSTGRES_PAYMENT_PORT", "15433");
    }

    @Test
    void theLinkProxyCarriesEveryConnectionToADatabaseTemporalTheBrokerOrAnotherService() {
        Topology t = Topology.local();
        assertThat(t.links()).extracting(io.txlab.devstack.links.LinkSpec::name).containsExactly(
                "order-service>postgres-order", "order-service>postgres-cockroach", "order-service>temporal",
                "order-service>inventory-service", "order-service>payment-service", "order-service>twopc-coordinator",
                "inventory-service>postgres-inventory", "inventory-service>temporal", "inventory-service>twopc-coordinator",
                "payment-service>postgres-payment", "payment-service>temporal", "payment-service>twopc-coordinator",
                "saga-orchestrator>temporal",
                "twopc-coordinator>postgres-coordinator", "twopc-coordinator>postgres-order",
                "twopc-coordinator>postgres-inventory", "twopc-coordinator>postgres-payment",
                "twopc-coordinator>order-service", "twopc-coordinator>inventory-service", "twopc-coordinator>payment-service",
                "order-service>kafka", "inventory-service>kafka", "payment-service>kafka");
        // a broker link listens where the broker's listener for it advertises, and ends at that listener (ADR 32)
        assertThat(t.links()).filteredOn(l -> l.to().equals("kafka")).extracting(l -> l.listenPort() + ">" + l.targetPort())
                .containsExactly("19094>19097", "19095>19098", "19096>19099");
        assertThat(t.brokerLinks()).extracting(Topology.BrokerLink::listener)
                .containsExactly("LINK_ORDER_SERVICE", "LINK_INVENTORY_SERVICE", "LINK_PAYMENT_SERVICE");
        assertThat(t.links()).filteredOn(l -> !l.to().equals("kafka")).allMatch(l -> l.listenPort() == 0);
        // the coordinator's links to the participants end at their protocol port (ADR 24), every other at the API
        assertThat(t.links()).filteredOn(l -> !l.to().equals("kafka")).allMatch(l -> l.targetPort() == (l.from().equals("twopc-coordinator")
                ? t.internalPort(l.to()).orElse(t.component(l.to()).port()) : t.component(l.to()).port()));
        assertThat(t.links()).filteredOn(l -> l.name().equals("twopc-coordinator>payment-service"))
                .extracting(io.txlab.devstack.links.LinkSpec::targetPort).containsExactly(18083);

        Map<String, Integer> ports = Map.of("twopc-coordinator>postgres-coordinator", 40001,
                "twopc-coordinator>postgres-payment", 40002, "payment-service>temporal", 40003,
                "twopc-coordinator>payment-service", 40004, "order-service>payment-service", 40005);
        assertThat(t.serviceEnvironment("twopc-coordinator", ports))
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:40001/coordinator")
                .containsEntry("TXLAB_POSTGRES_PAYMENT_PORT", "40002")
                .containsEntry("TXLAB_POSTGRES_ORDER_PORT", "15431")
                .containsEntry("TXLAB_SERVICES_PAYMENT_URL", "http://127.0.0.1:40004")
                .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092");
        assertThat(t.serviceEnvironment("payment-service", Map.of("payment-service>kafka", 19096)))
                .as("a service bootstraps through its broker link while the proxy runs")
                .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19096");
        assertThat(t.serviceEnvironment("payment-service", ports))
                .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
                .containsEntry("TXLAB_TEMPORAL_TARGET", "127.0.0.1:40003")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:15433/payment");
        // order-service looks payment up through its own link, and hands the coordinator the coordinator's link to it
        assertThat(t.serviceEnvironment("order-service", ports))
                .containsEntry("TXLAB_SERVICES_PAYMENT_URL", "http://127.0.0.1:40005")
                .containsEntry("TXLAB_TWOPC_PAYMENT_URL", "http://127.0.0.1:40004")
                .containsEntry("TXLAB_TWOPC_INVENTORY_URL", "http://127.0.0.1:18082");
    }

    @Test
    void theParticipantsServeTheProtocolOnAPortOfTheirOwnThatOnlyTheCoordinatorIsGiven() {
        Topology t = Topology.withPortOffset(100);
        assertThat(t.internalPort("order-service")).hasValue(18181);
        assertThat(t.internalPort("inventory-service")).hasValue(18182);
        assertThat(t.internalPort("payment-service")).hasValue(18183);
        assertThat(t.internalPort("twopc-coordinator")).isEmpty();
        assertThat(t.internalUrl("payment-service")).isEqualTo("http://127.0.0.1:18183");
        assertThat(t.serviceEnvironment("payment-service")).containsEntry("TXLAB_INTERNAL_PORT", "18183")
                .containsEntry("SERVER_PORT", "8183");
        assertThat(t.serviceEnvironment("twopc-coordinator")).doesNotContainKey("TXLAB_INTERNAL_PORT")
                // its allow-list: the participants' protocol ports
                .containsEntry("TXLAB_SERVICES_INVENTORY_URL", "http://127.0.0.1:18182")
                .containsEntry("TXLAB_SERVICES_PAYMENT_URL", "http://127.0.0.1:18183");
        // order-service: catalogue lookups on the APIs, the coordinator told the protocol ports
        assertThat(t.serviceEnvironment("order-service"))
                .containsEntry("TXLAB_SERVICES_PAYMENT_URL", "http://127.0.0.1:8183")
                .containsEntry("TXLAB_TWOPC_PAYMENT_URL", "http://127.0.0.1:18183")
                .containsEntry("TXLAB_TWOPC_SELF_URL", "http://127.0.0.1:18181")
                .containsEntry("TXLAB_INTERNAL_PORT", "18181");
    }

    @Test
    void coordinatorGetsTheParticipantDatabasesForItsMonitor() {
        Map<String, String> env = Topology.local().serviceEnvironment("twopc-coordinator");
        assertThat(env)
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:15434/coordinator")
                .containsEntry("TXLAB_TWOPC_MONITOR_ORDER_URL", "jdbc:postgresql://127.0.0.1:15431/orders")
                .containsEntry("TXLAB_TWOPC_MONITOR_INVENTORY_URL", "jdbc:postgresql://127.0.0.1:15432/inventory")
                .containsEntry("TXLAB_TWOPC_MONITOR_PAYMENT_URL", "jdbc:postgresql://127.0.0.1:15433/payment");
        assertThat(Topology.local().serviceEnvironment("saga-orchestrator")).doesNotContainKey("SPRING_DATASOURCE_URL");
    }

    @Test
    void selectionAddsDependenciesAndKeepsStartOrder() {
        Topology t = Topology.local();
        assertThat(t.select(List.of("inventory-service"), false)).extracting(ComponentSpec::name)
                .containsExactly("postgres-inventory", "kafka", "temporal", "inventory-service");
        assertThat(t.select(List.of(), true)).extracting(ComponentSpec::name)
                .containsExactly("postgres-order", "postgres-inventory", "postgres-payment", "postgres-coordinator",
                        "postgres-cockroach", "kafka", "temporal", "zipkin", "links");
        assertThat(t.select(List.of("postgres"), false)).hasSize(5)
                .allMatch(c -> c.kind() == ComponentKind.POSTGRES);
        assertThat(t.select(List.of("services"), true)).isEmpty();
        assertThatThrownBy(() -> t.select(List.of("postgres-nope"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgres-order");
    }

    @Test
    void wavesStartPostgresThenBrokersThenServices() {
        List<List<ComponentSpec>> waves = Topology.waves(Topology.local().components());
        assertThat(waves).hasSize(3);
        assertThat(waves.get(0)).allMatch(c -> c.kind() == ComponentKind.POSTGRES);
        assertThat(waves.get(1)).extracting(ComponentSpec::name).containsExactly("kafka", "temporal", "zipkin", "links");
        assertThat(waves.get(2)).allMatch(c -> c.kind() == ComponentKind.SERVICE);
    }

    @Test
    void zipkinIsOptionalInfrastructureThatTurnsTracingOn() {
        Topology t = Topology.withPortOffset(1000);
        assertThat(t.component("zipkin").port()).isEqualTo(10411);
        assertThat(t.select(List.of("order-service"), false)).extracting(ComponentSpec::name).doesNotContain("zipkin");
        assertThat(t.serviceEnvironment("order-service")).doesNotContainKey("TXLAB_TRACING_ZIPKIN_ENDPOINT");
        assertThat(t.tracingEnvironment())
                .containsEntry("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1.0")
                .containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULEDELAY", "1s")
                .containsEntry("TXLAB_TRACING_ZIPKIN_ENDPOINT", "http://127.0.0.1:10411/api/v2/spans");
    }

    @Test
    void serviceJarIsTheExecJarOfTheModule() {
        assertThat(Topology.serviceJar(Path.of("/repo"), "payment-service"))
                .isEqualTo(Path.of("/repo/payment-service/target/payment-service-0.1.0-SNAPSHOT-exec.jar"));
    }
}
