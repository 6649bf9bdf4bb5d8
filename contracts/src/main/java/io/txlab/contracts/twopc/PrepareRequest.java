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
     * @param resolvedByCaller true when the caller resolves this branch itself once it has the decision (ADR 56): the
     *                  coordinator prepares it like any other, but sends it no COMMIT or ROLLBACK in line, and
     *                  {@link TransactionOutcome#completed()} does not wait for it. For a branch the caller hosts, which
     *                  needs no network hop to hear the decision. Its safety net is the decision log: the branch's
     *                  participant recovery asks for the decision, and the coordinator's recovery re-drives phase two
     *                  to every participant, this one included, when another left the transaction unfinished.
     */
    public record Participant(String name, String baseUrl, Object operation,
                              @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean resolvedByCaller) {

        /** Absent on the wire (a caller that predates it) is false: the coordinator resolves the branch. */
        public Participant {
            resolvedByCaller = Boolean.TRUE.equals(resolvedByCaller);
        }

        /** A participant the coordinator drives through both phases. */
        public Participant(String name, String baseUrl, Object operation) {
            this(name, baseUrl, operation, false);
        }
    }
}
