package io.txlab.devstack.kafka;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.Topology;
import io.txlab.devstack.process.JavaCommand;
import io.txlab.devstack.process.JvmComponent;
import io.txlab.devstack.process.JvmOptions;
import io.txlab.devstack.process.ProcessLauncher;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker (KRaft, broker and controller in one node) in its own JVM, listening on 127.0.0.1:port,
 * controller on port + 1, and one listener per broker link of the link proxy (ADR 32), each advertising the link's
 * port. The log directory is formatted once; restarting keeps topics and offsets.
 */
public class KafkaBroker extends JvmComponent {

    private final List<Topology.BrokerLink> links;

    public KafkaBroker(String name, ComponentPaths paths, int port) {
        this(name, paths, port, List.of());
    }

    public KafkaBroker(String name, ComponentPaths paths, int port, List<Topology.BrokerLink> links) {
        super(name, paths, port);
        this.links = List.copyOf(links);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port();
    }

    public int controllerPort() {
        return port() + 1;
    }

    private Path config() {
        return paths().dir().resolve("server.properties");
    }

    private Path argFile() {
        return paths().dir().resolve("classpath.args");
    }

    @Override
    protected void prepare() {
        try {
            Files.writeString(config(), serverProperties());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + config(), e);
        }
        if (!Files.exists(paths().dataDir().resolve("meta.properties"))) {
            ProcessLauncher.runToCompletion(JavaCommand.forMainClass(argFile(),
                            JvmOptions.tool(),
                            "kafka.tools.StorageTool",
                            List.of("format", "--ignore-formatted", "-t", Uuid.randomUuid().toString(),
                                    "-c", config().toString())),
                    Map.of(), paths().dir(), logFile(), Duration.ofSeconds(60));
        }
    }

    String serverProperties() {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort(),
                "listeners=PLAINTEXT://127.0.0.1:" + port() + ",CONTROLLER://127.0.0.1:" + controllerPort()
                        + listeners(l -> "127.0.0.1:" + l.brokerPort()),
                // a client that bootstrapped through its link is told the link's port for every later connection
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port() + listeners(l -> "127.0.0.1:" + l.linkPort()),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                        + links.stream().map(l -> "," + l.listener() + ":PLAINTEXT").collect(java.util.stream.Collectors.joining()),
                // one network thread per link listener instead of three: it carries one service's connections, and only
                // while the link proxy runs; idle, its three threads cost the broker 0.24 % of a core for nothing
                // (results/2026-12-05-broker-link-listeners.md)
                links.stream().map(l -> "listener.name." + l.listener().toLowerCase(java.util.Locale.ROOT)
                        + ".num.network.threads=1").collect(java.util.stream.Collectors.joining("\n")),
                // the active controller appends a no-op record to the metadata log (and fsyncs it) every 500 ms by
                // default, so that a quorum of several controllers can tell a live leader from a stalled one; one
                // combined node has no one to tell. Every 5 s keeps the signal (and the broker's metadata-lag metrics)
                // and takes a fixed cost off the idle broker (results/2026-12-06-broker-metadata-no-ops.md)
                "metadata.max.idle.interval.ms=5000",
                "log.dirs=" + paths().dataDir().toAbsolutePath(),
                "num.partitions=3",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=3",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // the default 128 MB dedupe buffer does not fit the broker's small heap
                "log.cleaner.dedupe.buffer.size=8388608",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "") + "\n";
    }

    /** {@code ,LINK_X://<address>} per broker link. */
    private String listeners(java.util.function.Function<Topology.BrokerLink, String> address) {
        return links.stream().map(l -> "," + l.listener() + "://" + address.apply(l))
                .collect(java.util.stream.Collectors.joining());
    }

    @Override
    protected List<String> command() {
        return JavaCommand.forMainClass(argFile(),
                JvmOptions.kafka(name(), paths().dir()),
                "kafka.Kafka", List.of(config().toString()));
    }

    @Override
    protected Duration readyTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    public boolean isReady() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000)).nodes().get(6, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
