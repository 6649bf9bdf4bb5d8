package io.txlab.platform.twopc;

import io.txlab.contracts.twopc.Decision;
import io.txlab.platform.web.ServiceHttpClients;
import java.net.URI;
import java.time.Duration;
import io.txlab.platform.internal.SigningInterceptor;
import org.springframework.web.client.RestClient;

/** Asks the coordinator for its decision on a gid ({@code GET /transactions/{gid}}). */
public class CoordinatorClient {

    private final RestClient http;

    /** @param secret the shared secret the request is signed with ({@code txlab.internal.secret}) */
    public CoordinatorClient(URI coordinatorUrl, String secret) {
        this.http = RestClient.builder().baseUrl(coordinatorUrl.toString())
                .requestFactory(ServiceHttpClients.requestFactory(Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .requestInterceptor(SigningInterceptor.forSecret(secret))
                .build();
    }

    public Decision.Value decision(String gid) {
        return decide(gid).decision();
    }

    /** The coordinator's whole answer: decision, its log's epoch, whether the decision is presumed. */
    public Decision decide(String gid) {
        Decision decision = http.get().uri("/transactions/{gid}", gid).retrieve().body(Decision.class);
        if (decision == null || decision.decision() == null) {
            throw new IllegalStateException("coordinator returned no decision for " + gid);
        }
        return decision;
    }
}
