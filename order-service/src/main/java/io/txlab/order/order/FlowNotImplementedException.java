package io.txlab.order.order;

import io.txlab.contracts.Flow;
import java.util.Set;
import java.util.stream.Collectors;

/** The flow is a valid id but it is not switched on in this process (no {@link OrderFlow} for it). */
public class FlowNotImplementedException extends RuntimeException {

    private final Flow flow;

    public FlowNotImplementedException(Flow flow, Set<Flow> implemented) {
        super("flow '" + flow.id() + "' is not implemented in this build (implemented: "
                + (implemented.isEmpty()
                        ? "none"
                        : implemented.stream().map(Flow::id).sorted().collect(Collectors.joining(", ")))
                + ")");
        this.flow = flow;
    }

    public Flow flow() {
        return flow;
    }
}
