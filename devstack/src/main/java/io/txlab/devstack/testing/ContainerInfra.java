package io.txlab.devstack.testing;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.kafka.KafkaBroker;
import io.txlab.devstack.postgres.PostgresCluster;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The Testcontainers variant of {@link TestInfra} ({@code -Dtxlab.infra=testcontainers}): PostgreSQL and Kafka
 * in Docker with the same server settings. Testcontainers is an optional dependency of devstack, so the
 * classes touching it load only in this mode; the test module must have testcontainers-postgresql and
 * testcontainers-kafka on its test classpath.
 */
final class ContainerInfra {

    static final String POSTGRES_IMAGE = "postgres:17";
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    private ContainerInfra() {
    }

    static PostgresCluster postgres() {
        requireDocker();
        return new ContainerPostgres(ComponentPaths.in(TestInfra.runDir(), "test-postgres"));
    }

    static KafkaBroker kafka() {
        requireDocker();
        return new ContainerKafka(ComponentPaths.in(TestInfra.runDir(), "test-kafka"));
    }

    private static void requireDocker() {
        boolean available;
        try {
            available = org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("-Dtxlab.infra=testcontainers needs org.testcontainers:"
                    + "testcontainers-postgresql and testcontainers-kafka on the test classpath", e);
        }
        if (!available) {
            throw new IllegalStateException("-Dtxlab.infra=testcontainers needs a running Docker engine, and none "
                    + "is reachable; run without it to use the embedded PostgreSQL/Kafka/Temporal processes");
        }
    }

    /** PostgreSQL in a container, started with the same settings the devstack clusters use. */
    static final class ContainerPostgres extends PostgresCluster {

        private final org.testcontainers.postgresql.PostgreSQLContainer container =
                new org.testcontainers.postgresql.PostgreSQLContainer(POSTGRES_IMAGE)
                        .withUsername(SUPERUSER)
                        .withPassword(SUPERUSER_PASSWORD)
                        .withDatabaseName("postgres")
                        .withCommand("postgres",
                                "-c", "wal_level=logical",
                                "-c", "max_prepared_transactions=100",
                                "-c", "max_replication_slots=10",
                                "-c", "max_wal_senders=10",
                                "-c", "max_connections=200",
                                "-c", "fsync=on",
                                "-c", "synchronous_commit=on",
                                "-c", "shared_buffers=64MB");

        ContainerPostgres(ComponentPaths paths) {
            super("test-postgres", paths, 0, List.of());
        }

        @Override
        public synchronized void start() {
            if (!container.isRunning()) {
                container.start();
            }
            bootstrap();
        }

        @Override
        public synchronized void stop() {
            container.stop();
        }

        @Override
        public synchronized void kill() {
            container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
        }

        @Override
        public String host() {
            return container.getHost();
        }

        @Override
        public int port() {
            return container.getMappedPort(5432);
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public Path dataDir() {
            throw new UnsupportedOperationException("the data directory lives inside the container");
        }
    }

    /** Kafka in a container (KRaft, single node). */
    static final class ContainerKafka extends KafkaBroker {

        private final org.testcontainers.kafka.KafkaContainer container =
                new org.testcontainers.kafka.KafkaContainer(KAFKA_IMAGE)
                        .withEnv("KAFKA_NUM_PARTITIONS", "3")
                        .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true");

        ContainerKafka(ComponentPaths paths) {
            super("test-kafka", paths, 0);
        }

        @Override
        public synchronized void start() {
            if (!container.isRunning()) {
                container.start();
            }
        }

        @Override
        public synchronized void stop() {
            container.stop();
        }

        @Override
        public synchronized void kill() {
            container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
        }

        @Override
        public String bootstrapServers() {
            return container.getBootstrapServers();
        }

        @Override
        public int port() {
            return container.getMappedPort(9092);
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }
    }
}
