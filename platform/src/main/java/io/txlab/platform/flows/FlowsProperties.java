package io.txlab.platform.flows;

import io.txlab.contracts.Flow;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * {@code txlab.flows.enabled} ({@code TXLAB_FLOWS_ENABLED}): the flows this process runs, by id, comma-separated. The
 * one switch per flow, the same in every txlab process: a flow that is not listed has no beans at all (no Kafka
 * listeners, no Temporal worker, no 2PC endpoints, no CockroachDB pool), and order-service answers 422 for it.
 * Unset means every flow.
 *
 * @param enabled the flow ids as written; {@link #flows()} parses them
 */
@ConfigurationProperties("txlab.flows")
public record FlowsProperties(List<String> enabled) {

    public static final String KEY = "txlab.flows.enabled";

    public FlowsProperties {
        enabled = enabled == null ? null : List.copyOf(enabled);
    }

    /**
     * The flows switched on.
     *
     * @throws IllegalArgumentException naming the valid ids when an entry is not one of them
     */
    public Set<Flow> flows() {
        if (enabled == null) {
            return Collections.unmodifiableSet(EnumSet.allOf(Flow.class));
        }
        Set<Flow> flows = EnumSet.noneOf(Flow.class);
        for (String id : enabled) {
            if (!id.isBlank()) {
                try {
                    flows.add(Flow.fromId(id.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(KEY + ": " + e.getMessage());
                }
            }
        }
        return Collections.unmodifiableSet(flows);
    }

    /** What {@code environment} switches on; usable before any bean exists (conditions). */
    public static Set<Flow> of(Environment environment) {
        return Binder.get(environment).bind("txlab.flows", FlowsProperties.class)
                .orElseGet(() -> new FlowsProperties(null))
                .flows();
    }
}
