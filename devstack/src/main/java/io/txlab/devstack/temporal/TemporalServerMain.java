package io.txlab.devstack.temporal;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Runs Temporal's Java test server bound to 127.0.0.1 only. {@code io.temporal.testserver.TestServer} binds
 * every interface; this assembles the same services and health checks on a loopback-only Netty server.
 * Time skipping stays off, so timers fire in real time as on a real cluster. Its time-skipping lock diary is bounded
 * ({@link BoundedLockDiary}): unbounded, it made the server's cost per workflow grow with every workflow it had served.
 * Its task-queue backlogs are first in, first out within a priority ({@link FifoTaskQueues}), as on a Temporal server.
 * <p>
 * Usage: {@code TemporalServerMain <port>}
 */
public final class TemporalServerMain {

    private TemporalServerMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: TemporalServerMain <port>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        // lockTimeSkipping=true: time skipping disabled, the same default as TestServer's main
        TestServicesStarter services = new TestServicesStarter(true, 0);
        String notBounded = BoundedLockDiary.install(services);
        if (notBounded != null) {
            System.err.println("WARNING: the test server's lock diary is not bounded (" + notBounded + "); its cost per "
                    + "workflow grows with every workflow it has served (ADR 30)");
        }
        String notFifo = FifoTaskQueues.install(services);
        if (notFifo != null) {
            System.err.println("WARNING: the test server's task-queue backlogs are not first in, first out (" + notFifo
                    + "); while a backlog lasts, new tasks pass the oldest (ADR 53)");
        }
        ServerBuilder<?> builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port),
                InsecureServerCredentials.create());
        GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
        Server server = builder.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            services.close();
        }, "temporal-shutdown"));
        System.out.println("Temporal test server listening on 127.0.0.1:" + port);
        server.awaitTermination();
    }
}
