package io.txlab.platform.twopc;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a service taking part in the {@code twopc} flow.
 *
 * @param branch           this participant's branch qualifier in PostgreSQL gids, e.g. {@code inventory}
 * @param coordinatorUrl   asked for decisions by the recovery ({@code GET /transactions/{gid}})
 * @param lockTimeout      lock wait bound inside a prepare (keep it below the coordinator's HTTP read timeout)
 * @param recoveryInterval how often prepared branches are checked with the coordinator
 * @param recoveryMinAge   branches younger than this are left to the running protocol
 */
@ConfigurationProperties("txlab.twopc.participant")
public record TwopcParticipantProperties(
        String branch,
        @DefaultValue("http://127.0.0.1:8085") URI coordinatorUrl,
        @DefaultValue("2s") Duration lockTimeout,
        @DefaultValue("5s") Duration recoveryInterval,
        @DefaultValue("5s") Duration recoveryMinAge) {
}
