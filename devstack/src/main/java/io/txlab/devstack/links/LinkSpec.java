package io.txlab.devstack.links;

/**
 * One proxied link of the local stack: the connections {@code from} (a service) opens to {@code to} (a PostgreSQL
 * cluster or Temporal) go through the link proxy, which forwards them to {@code targetPort} and can delay,
 * partition or cut them ({@link Fault}).
 */
public record LinkSpec(String from, String to, int targetPort) {

    public LinkSpec {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw new IllegalArgumentException("a link needs both ends");
        }
        if (targetPort <= 0 || targetPort > 65535) {
            throw new IllegalArgumentException("target port out of range: " + targetPort);
        }
    }

    /** {@code from>to}, e.g. {@code payment-service>postgres-payment}. */
    public String name() {
        return from + ">" + to;
    }
}
