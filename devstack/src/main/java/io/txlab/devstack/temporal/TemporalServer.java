package io.txlab.devstack.temporal;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.process.JavaCommand;
import io.txlab.devstack.process.JvmComponent;
import io.txlab.devstack.process.JvmOptions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server in its own JVM on 127.0.0.1:port (see {@link TemporalServerMain}). It keeps
 * all state in memory: a kill or restart loses every workflow.
 */
public class TemporalServer extends JvmComponent {

    public TemporalServer(String name, ComponentPaths paths, int port) {
        super(name, paths, port);
    }

    /** The gRPC target for WorkflowServiceStubsOptions.setTarget, {@code 127.0.0.1:port}. */
    public String target() {
        return "127.0.0.1:" + port();
    }

    @Override
    protected List<String> command() {
        return JavaCommand.forMainClass(paths().dir().resolve("classpath.args"),
                JvmOptions.temporal(name(), paths().dir()),
                TemporalServerMain.class.getName(), List.of(Integer.toString(port())));
    }

    @Override
    protected Duration readyTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected Duration stopGrace() {
        return Duration.ofSeconds(10);
    }

    @Override
    public boolean isReady() {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target()).build());
        try {
            stubs.blockingStub().withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
            return true;
        } catch (RuntimeException e) {
            return false;
        } finally {
            stubs.shutdownNow();
            stubs.awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
