package io.txlab.platform.internal;

import org.apache.catalina.connector.Connector;

/**
 * The 2PC participant protocol's own port ({@code txlab.internal.port}): a second Tomcat connector beside the API's.
 * {@link InternalPortFilter} keeps the two apart: {@value #PROTOCOL_PATHS}* only here, everything else only on the
 * API port.
 */
public final class InternalPort {

    /** The paths served on the internal port, and only there. */
    public static final String PROTOCOL_PATHS = "/twopc/";

    private final Connector connector;

    InternalPort(Connector connector) {
        this.connector = connector;
    }

    Connector connector() {
        return connector;
    }

    /** The port it listens on once the web server started (the chosen one when configured as 0); -1 before. */
    public int localPort() {
        return connector.getLocalPort();
    }

    static boolean isProtocolPath(String requestUri) {
        return requestUri.startsWith(PROTOCOL_PATHS);
    }
}
