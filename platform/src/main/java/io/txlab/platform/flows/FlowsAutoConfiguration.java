package io.txlab.platform.flows;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.env.Environment;

/**
 * Exposes {@link FlowsProperties}, logs the flows this process runs, and refuses to start on a switch that no longer
 * exists: before {@code txlab.flows.enabled}, four keys each turned part of a flow on or off, and one of them
 * ({@code txlab.choreography.enabled}) two flows at once (adr/0026). Ignoring such a key silently would run flows the
 * operator meant to turn off.
 */
@AutoConfiguration
@EnableConfigurationProperties(FlowsProperties.class)
public class FlowsAutoConfiguration {

    /** The switches {@code txlab.flows.enabled} replaced. */
    static final List<String> REPLACED = List.of("txlab.choreography.enabled", "txlab.twopc.participant.enabled",
            "txlab.temporal.enabled", "txlab.cockroach.enabled");

    private static final Logger log = LoggerFactory.getLogger(FlowsAutoConfiguration.class);

    FlowsAutoConfiguration(Environment environment, FlowsProperties properties) {
        for (String key : REPLACED) {
            if (environment.containsProperty(key)) {
                throw new IllegalStateException(key + " is no longer read: list the flows to run in "
                        + FlowsProperties.KEY + " (TXLAB_FLOWS_ENABLED), e.g. twopc,cockroach");
            }
        }
        log.info("flows enabled: {}", properties.flows());
    }
}
