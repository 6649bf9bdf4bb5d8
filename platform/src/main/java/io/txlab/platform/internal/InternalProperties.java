package io.txlab.platform.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code txlab.internal.*}: the shared secret of the internal endpoints.
 *
 * @param secret  the HMAC key every service signs and checks internal requests with ({@code TXLAB_INTERNAL_SECRET}; at
 *                least 16 characters). Blank: internal requests are refused (401) and none are signed, so the
 *                {@code twopc} flow cannot run. The devstack generates one per stack; in Kubernetes it comes from the
 *                Secret {@code txlab-internal}
 * @param previousSecret during a rotation, the secret being retired: requests signed with it are still accepted
 *                (nothing is signed with it), so services can be restarted one by one with the new {@code secret};
 *                blank once every service has the new one
 * @param maxSkew how far a request's timestamp may be from this service's clock, either way (a replay of a captured
 *                request is accepted only within it, and every internal operation is idempotent)
 * @param port    the port a 2PC participant serves its protocol endpoints ({@code /twopc/*}) on, alone
 *                ({@code TXLAB_INTERNAL_PORT}; 0: any free port): the API port then answers them 404, and this port
 *                answers nothing else, so the protocol can be kept off the public network (a Kubernetes Service port
 *                the ingress does not route, the coordinator's link in the devstack). Unset: they are served on the API
 *                port, signed like everywhere else (a single-port test or setup)
 */
@ConfigurationProperties("txlab.internal")
public record InternalProperties(
        @DefaultValue("") String secret,
        @DefaultValue("") String previousSecret,
        @DefaultValue("5m") Duration maxSkew,
        Integer port) {

    public InternalProperties {
        if (!secret.isBlank() && secret.length() < 16) {
            throw new IllegalArgumentException("txlab.internal.secret must be at least 16 characters");
        }
        if (port != null && (port < 0 || port > 65_535)) {
            throw new IllegalArgumentException("txlab.internal.port must be a TCP port (0 for any free one): " + port);
        }
    }

}
