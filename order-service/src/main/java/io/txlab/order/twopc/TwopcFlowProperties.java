package io.txlab.order.twopc;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The order side of flow {@code twopc} ({@code txlab.twopc.*}; the participant half is
 * {@code txlab.twopc.participant.*}, see {@code io.txlab.platform.twopc.TwopcParticipantProperties}).
 *
 * @param coordinatorUrl where {@code POST /transactions} and {@code GET /transactions/{gid}} are served
 * @param selfUrl        this service's base URL as the coordinator must call it for the order branch; when absent,
 *                       {@code http://127.0.0.1:<the port this server listens on>} (right locally; k8s sets the
 *                       Service URL)
 * @param inventoryUrl   inventory-service's base URL as the coordinator must call it (its allow-list holds it); when
 *                       absent, {@code txlab.services.inventory-url}. They differ where the coordinator's network path
 *                       to a participant is not order-service's, as behind the devstack's link proxy (ADR 21).
 * @param paymentUrl     the same for payment-service; when absent, {@code txlab.services.payment-url}
 * @param resolveOwnBranch whether this service commits or rolls back the order branch itself once the coordinator
 *                       returns its decision, instead of the coordinator calling it back over HTTP (ADR 56). The
 *                       decision is durable in the coordinator's log either way; false is the textbook shape, kept
 *                       to measure what the callback costs.
 * @param launcher       the bounded pool that runs the protocol off the request thread
 * @param sweep          the recovery of PENDING twopc orders whose launcher died mid-protocol
 */
@ConfigurationProperties("txlab.twopc")
public record TwopcFlowProperties(
        @DefaultValue("http://127.0.0.1:8085") URI coordinatorUrl,
        URI selfUrl,
        URI inventoryUrl,
        URI paymentUrl,
        @DefaultValue("true") boolean resolveOwnBranch,
        @DefaultValue Launcher launcher,
        @DefaultValue Sweep sweep) {

    /**
     * @param threads            protocols in flight at once (each holds one coordinator call)
     * @param queueCapacity      orders waiting for a thread; past it the request thread runs the protocol itself
     *                           (back-pressure on the client instead of shedding orders)
     * @param coordinatorTimeout read timeout of {@code POST /transactions}: above the coordinator's prepare timeout
     *                           plus its in-line phase two, so a slow but live coordinator is never mistaken for a
     *                           dead one
     */
    public record Launcher(@DefaultValue("16") int threads, @DefaultValue("1000") int queueCapacity,
                           @DefaultValue("30s") Duration coordinatorTimeout) {
    }

    /**
     * @param interval how often PENDING twopc orders are checked
     * @param minAge   orders younger than this are left to their launcher (a queued or running protocol)
     * @param batch    orders checked per pass
     */
    public record Sweep(@DefaultValue("5s") Duration interval, @DefaultValue("15s") Duration minAge,
                        @DefaultValue("100") int batch) {
    }
}
