package io.txlab.twopc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The coordinator of flow {@code twopc}. It carries the platform (for its web, signing, chaos and scheduling parts),
 * whose Kafka messaging and outbox relay serve the choreography flows only: they are left out here whatever
 * {@code txlab.flows.enabled} says, since this process takes no part in those flows.
 */
@SpringBootApplication(excludeName = {"io.txlab.platform.messaging.MessagingAutoConfiguration",
        "io.txlab.platform.outbox.OutboxRelayAutoConfiguration"})
@ConfigurationPropertiesScan
public class TwopcCoordinatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(TwopcCoordinatorApplication.class, args);
    }
}
