package io.txlab.twopc.protocol;

/** A participant as stored in the decision log: what phase two and recovery need to reach it. */
public record ParticipantEndpoint(String name, String baseUrl) {
}
