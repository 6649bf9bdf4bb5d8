package io.txlab.contracts.twopc;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Body of the coordinator's {@code POST /transactions}: run one global transaction over {@code participants}.
 * <pre>{@code
 * {"gid":"txlab_3f1c2a9e-8d4b-4c1e-9a57-0b6f4f1e2d3c",
 *  "participants":[
 *    {"name":"inventory","baseUrl":"http://127.0.0.1:8082",
 *     "operation":{"orderId":"…","lines":[{"sku":"SKU-0001","quantity":2}]}},
 *    {"name":"payment","baseUrl":"http://127.0.0.1:8083",
 *     "operation":{"orderId":"…","customerId":"C-0001","amount":25.00}}]}
 * }</pre>
 *
 * @param gid          optional; the coordinator generates one when absent. Posting a gid the coordinator already
 *                     knows returns that transaction's outcome without running it again.
 * @param participants 1 to 10 participants with distinct names; each is prepared with its own {@code operation}
 * @param deadline     optional: the business transaction's deadline (adr/0038). Phase one waits for votes until it or
 *                     the coordinator's prepare timeout, whichever comes first; a participant silent at the deadline
 *                     votes NO with reason {@code DEADLINE_EXCEEDED}
 */
public record PrepareRequest(String gid, List<Participant> participants,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Instant deadline) {

    /** A transaction bounded by the coordinator's prepare timeout only. */
    public PrepareRequest(String gid, List<Participant> participants) {
        this(gid, participants, null);
    }

    /**
     * @param name      participant name, also its branch qualifier: {@code [a-z][a-z0-9_]{0,29}}
     * @param baseUrl   where the participant serves {@code /twopc/{gid}/prepare|commit|rollback}
     * @param operation the prepare body, a JSON object only the participant interprets (the coordinator forwards it as
     *                  it came): txlab's branches take {@link ReserveStock}, {@link AuthorizePayment} and
     *                  {@link ConfirmOrder}; read back from JSON it is a map
     */
    public record Participant(String name, String baseUrl, Object operation) {
    }
}
