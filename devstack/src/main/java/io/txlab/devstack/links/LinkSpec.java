package io.txlab.devstack.links;

/**
 * One proxied link of the local stack: the connections {@code from} (a service) opens to {@code to} (a PostgreSQL
 * cluster, Temporal, the broker or another service) go through the link proxy, which forwards them to
 * {@code targetPort} and can delay, partition or cut them ({@link Fault}).
 *
 * @param listenPort the port the proxy must listen on for this link, or 0 for any free one. A link to the broker has
 *                   one: the broker advertises it to the clients that connected through it (ADR 32), so it must be
 *                   known before the proxy starts.
 */
public record LinkSpec(String from, String to, int targetPort, int listenPort) {

    public LinkSpec(String from, String to, int targetPort) {
        this(from, to, targetPort, 0);
    }

    public LinkSpec {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw new IllegalArgumentException("a link needs both ends");
        }
        if (targetPort <= 0 || targetPort > 65535) {
            throw new IllegalArgumentException("target port out of range: " + targetPort);
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listen port out of range: " + listenPort);
        }
    }

    /** {@code from>to}, e.g. {@code payment-service>postgres-payment}. */
    public String name() {
        return from + ">" + to;
    }
}
