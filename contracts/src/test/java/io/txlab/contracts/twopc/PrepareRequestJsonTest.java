package io.txlab.contracts.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PrepareRequestJsonTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aParticipantIsTheCoordinatorsToResolveUnlessTheRequestSaysOtherwise() {
        PrepareRequest.Participant plain = json.readValue(
                "{\"name\":\"order\",\"baseUrl\":\"http://127.0.0.1:1\",\"operation\":{}}", PrepareRequest.Participant.class);

        assertThat(plain.resolvedByCaller()).isFalse();
        assertThat(json.writeValueAsString(plain)).doesNotContain("resolvedByCaller");
    }

    @Test
    void aBranchTheCallerResolvesSaysSoOnTheWireAndReadsBack() {
        PrepareRequest.Participant own = new PrepareRequest.Participant("order", "http://127.0.0.1:1", Map.of(), true);

        String written = json.writeValueAsString(own);

        assertThat(written).contains("\"resolvedByCaller\":true");
        assertThat(json.readValue(written, PrepareRequest.Participant.class).resolvedByCaller()).isTrue();
    }
}
