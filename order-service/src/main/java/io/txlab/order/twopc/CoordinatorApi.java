package io.txlab.order.twopc;

import io.txlab.contracts.Flow;
import io.txlab.contracts.twopc.Decision;
import io.txlab.contracts.twopc.PrepareRequest;
import io.txlab.contracts.twopc.TransactionOutcome;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.internal.InternalProperties;
import io.txlab.platform.internal.SigningInterceptor;
import io.txlab.platform.web.ServiceHttpClients;
import java.time.Duration;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** order-service's client of the coordinator API (see {@code io.txlab.contracts.twopc}). */
@Component
@ConditionalOnFlow(Flow.TWOPC)
public class CoordinatorApi {

    private final RestClient run;
    private final RestClient ask;

    /** @param http Boot's builder, which carries the client observation (spans and traceparent) */
    public CoordinatorApi(TwopcFlowProperties properties, InternalProperties internal, RestClient.Builder http) {
        String base = properties.coordinatorUrl().toString();
        RestClient.Builder signed = http.clone().baseUrl(base)
                .requestInterceptor(SigningInterceptor.forSecret(internal.secret()));
        this.run = signed.clone().requestFactory(ServiceHttpClients.requestFactory(Duration.ofSeconds(1),
                properties.launcher().coordinatorTimeout())).build();
        this.ask = signed.clone().requestFactory(ServiceHttpClients.requestFactory(Duration.ofSeconds(1),
                Duration.ofSeconds(2))).build();
    }

    /** Runs both phases ({@code POST /transactions}); returns after the coordinator decided. */
    public TransactionOutcome run(PrepareRequest request) {
        TransactionOutcome outcome = run.post().uri("/transactions").body(request).retrieve()
                .body(TransactionOutcome.class);
        if (outcome == null || outcome.decision() == null) {
            throw new IllegalStateException("coordinator answered no decision for " + request.gid());
        }
        return outcome;
    }

    /** The coordinator's word on {@code gid} ({@code GET /transactions/{gid}}; presumed abort for unknown gids). */
    public Decision.Value decision(String gid) {
        Decision decision = ask.get().uri("/transactions/{gid}", gid).retrieve().body(Decision.class);
        if (decision == null || decision.decision() == null) {
            throw new IllegalStateException("coordinator answered no decision for " + gid);
        }
        return decision.decision();
    }
}
