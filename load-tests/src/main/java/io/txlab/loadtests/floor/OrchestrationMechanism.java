package io.txlab.loadtests.floor;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.txlab.devstack.Topology;

import java.sql.Connection;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

/**
 * Flow orchestration's mechanism: the order committed PENDING, then a Temporal workflow started for it whose three
 * activities run on the owning services' task queues, each a local transaction with its inbox row: reserve
 * (inventory), charge (payment), confirm (order). The workflow and activity workers run in this JVM with the SDK's
 * defaults (sticky execution on), one worker per task queue as the four processes of the flow have, sharing one
 * connection to the stack's Temporal server; activity options as the orchestrator's forward steps (5 s
 * start-to-close).
 */
final class OrchestrationMechanism extends PlacingMechanism {

    private static final String NAMESPACE = "default";

    private final String queuePrefix = "mechanism-floor-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private WorkflowServiceStubs service;
    private WorkflowClient client;
    private WorkerFactory factory;
    private BlockingQueue<Connection> inventory;
    private BlockingQueue<Connection> payment;
    private BlockingQueue<Connection> orders;

    /** Pollers per task queue for workflow and activity tasks; 0 = the SDK's default. */
    private final int pollers;

    OrchestrationMechanism(Topology topology, int pollers) {
        super(topology);
        this.pollers = pollers;
    }

    private WorkerOptions workerOptions() {
        WorkerOptions.Builder options = WorkerOptions.newBuilder();
        if (pollers > 0) {
            options.setMaxConcurrentWorkflowTaskPollers(pollers).setMaxConcurrentActivityTaskPollers(pollers);
        }
        return options.build();
    }

    @Override
    public Set<String> components() {
        return Set.of(Topology.POSTGRES_ORDER, Topology.POSTGRES_INVENTORY, Topology.POSTGRES_PAYMENT, Topology.TEMPORAL);
    }

    @Override
    public String describe() {
        return "order committed PENDING + workflow start; activities reserve, charge, confirm on 3 task queues, "
                + "each inbox + writes + commit (1 workflow, 3 activities, 4 local commits)";
    }

    @WorkflowInterface
    public interface FloorWorkflow {
        @WorkflowMethod
        void place(String order, String queuePrefix);
    }

    @ActivityInterface
    public interface Reserve {
        void reserve(String order);
    }

    @ActivityInterface
    public interface Charge {
        void charge(String order);
    }

    @ActivityInterface
    public interface Confirm {
        void confirm(String order);
    }

    public static class FloorWorkflowImpl implements FloorWorkflow {
        @Override
        public void place(String order, String queuePrefix) {
            Workflow.newActivityStub(Reserve.class, options(queuePrefix + "inventory")).reserve(order);
            Workflow.newActivityStub(Charge.class, options(queuePrefix + "payment")).charge(order);
            Workflow.newActivityStub(Confirm.class, options(queuePrefix + "order")).confirm(order);
        }

        private static ActivityOptions options(String queue) {
            return ActivityOptions.newBuilder().setTaskQueue(queue).setStartToCloseTimeout(Duration.ofSeconds(5)).build();
        }
    }

    /** One activity: inbox row + the step's writes + commit, on a pooled connection; a failure is retried by Temporal. */
    private static void step(BlockingQueue<Connection> pool, String name, String wire, MechanismDatabases.Step step) {
        MechanismDatabases.Order o = MechanismDatabases.Order.fromWire(wire);
        Connection c = null;
        try {
            c = pool.take();
            MechanismDatabases.consume(c, o.id() + "/" + name, o, step);
        } catch (Exception e) {
            throw Activity.wrap(e);
        } finally {
            if (c != null) {
                pool.add(c);
            }
        }
    }

    @Override
    public void start(Completion completion) throws Exception {
        startPlacing(completion);
        inventory = db.pool(Topology.POSTGRES_INVENTORY, 4);
        payment = db.pool(Topology.POSTGRES_PAYMENT, 4);
        orders = db.pool(Topology.POSTGRES_ORDER, 4);
        service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(topology.temporalTarget()).build());
        client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
        factory = WorkerFactory.newInstance(client);
        factory.newWorker(queuePrefix + "orchestrator", workerOptions())
                .registerWorkflowImplementationTypes(FloorWorkflowImpl.class);
        factory.newWorker(queuePrefix + "inventory", workerOptions()).registerActivitiesImplementations(
                (Reserve) order -> step(inventory, "reserve", order, MechanismDatabases::reserve));
        factory.newWorker(queuePrefix + "payment", workerOptions()).registerActivitiesImplementations(
                (Charge) order -> step(payment, "charge", order, MechanismDatabases::charge));
        factory.newWorker(queuePrefix + "order", workerOptions()).registerActivitiesImplementations((Confirm) order -> {
            step(orders, "confirm", order, MechanismDatabases::confirm);
            this.completion.done(MechanismDatabases.Order.fromWire(order), null);
        });
        factory.start();
    }

    @Override
    protected void afterPlaced(MechanismDatabases.Order order) {
        FloorWorkflow workflow = client.newWorkflowStub(FloorWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(queuePrefix + "orchestrator").setWorkflowId("floor-" + order.id()).build());
        WorkflowClient.start(workflow::place, order.wire(), queuePrefix);
    }

    @Override
    public void close() {
        stopPlacing();
        if (factory != null) {
            factory.shutdownNow();
            factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (service != null) {
            service.shutdownNow();
        }
        dropDatabases();
    }
}
