package io.txlab.order.order;

import io.txlab.contracts.Flow;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** The {@link FlowLauncher} beans of this build, one per implemented flow. */
@Component
public class FlowLaunchers {

    private final Map<Flow, FlowLauncher> byFlow = new EnumMap<>(Flow.class);

    @Autowired
    public FlowLaunchers(ObjectProvider<FlowLauncher> launchers) {
        this(launchers.orderedStream().toList());
    }

    public FlowLaunchers(List<FlowLauncher> launchers) {
        for (FlowLauncher launcher : launchers) {
            FlowLauncher previous = byFlow.putIfAbsent(launcher.flow(), launcher);
            if (previous != null) {
                throw new IllegalStateException("two launchers for flow '" + launcher.flow().id() + "': "
                        + previous.getClass().getName() + " and " + launcher.getClass().getName());
            }
        }
    }

    public Optional<FlowLauncher> find(Flow flow) {
        return Optional.ofNullable(byFlow.get(flow));
    }

    /** @throws FlowNotImplementedException if no launcher serves {@code flow} */
    public FlowLauncher require(Flow flow) {
        return find(flow).orElseThrow(() -> new FlowNotImplementedException(flow, implemented()));
    }

    public Set<Flow> implemented() {
        return byFlow.isEmpty()
                ? Collections.emptySet()
                : Collections.unmodifiableSet(EnumSet.copyOf(byFlow.keySet()));
    }
}
