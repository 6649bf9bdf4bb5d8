package io.txlab.twopc.protocol;

import io.txlab.contracts.twopc.Resolution;
import io.txlab.contracts.twopc.Vote;
import io.txlab.platform.web.ServiceHttpClients;
import io.txlab.twopc.config.TwopcProperties;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import io.txlab.contracts.twopc.Decision;
import io.txlab.platform.internal.InternalProperties;
import io.txlab.platform.internal.SigningInterceptor;
import org.springframework.web.client.RestClient;

/**
 * Calls the participant endpoints ({@code POST {baseUrl}/twopc/{gid}/prepare|commit|rollback}) over pooled
 * connections ({@link ServiceHttpClients}) with short timeouts: a slow participant must turn into a NO vote quickly
 * rather than hold every other participant's locks while we wait.
 */
@Component
public class ParticipantClient {

    private final RestClient http;

    /** @param http Boot's builder: prepare/commit/rollback calls are client spans in the order's trace */
    public ParticipantClient(TwopcProperties properties, InternalProperties internal, RestClient.Builder http) {
        this.http = http.requestFactory(ServiceHttpClients.requestFactory(properties.http().connectTimeout(),
                        properties.http().readTimeout()))
                .requestInterceptor(SigningInterceptor.forSecret(internal.secret()))
                .build();
    }

    /** @param epoch the decision log's identity, recorded by the participant with its branch (ADR 19) */
    public Vote prepare(ParticipantEndpoint participant, String gid, String epoch, Object operation) {
        Vote vote = http.post().uri(participant.baseUrl() + "/twopc/{gid}/prepare", gid)
                .contentType(MediaType.APPLICATION_JSON)
                .header(Decision.EPOCH_HEADER, epoch)
                .body(operation == null ? Map.of() : operation)
                .retrieve().body(Vote.class);
        if (vote == null || vote.vote() == null) {
            throw new IllegalStateException("empty vote from " + participant.name());
        }
        return vote;
    }

    public Resolution commit(ParticipantEndpoint participant, String gid) {
        return finish(participant, gid, "commit");
    }

    public Resolution rollback(ParticipantEndpoint participant, String gid) {
        return finish(participant, gid, "rollback");
    }

    private Resolution finish(ParticipantEndpoint participant, String gid, String action) {
        return http.post().uri(participant.baseUrl() + "/twopc/{gid}/" + action, gid).retrieve().body(Resolution.class);
    }
}
