package io.txlab.platform.internal;

import io.txlab.platform.web.ProblemDetailsAdvice;
import io.txlab.platform.web.RequestSizeLimitFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves the participant protocol on the internal port only and the API on the API port only: a request for the
 * other port's paths is answered 404 with an RFC 9457 body, before any endpoint (or the signature check) runs. The
 * body says where the path is not served, not where it is.
 */
final class InternalPortFilter extends OncePerRequestFilter {

    private final InternalPort port;

    InternalPortFilter(InternalPort port) {
        this.port = port;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean internalPort = request.getLocalPort() == port.localPort();
        boolean protocol = InternalPort.isProtocolPath(request.getRequestURI());
        if (internalPort == protocol) {
            chain.doFilter(request, response);
            return;
        }
        RequestSizeLimitFilter.writeProblem(response, ProblemDetailsAdvice.problem(HttpStatus.NOT_FOUND, "not-found",
                "Not found", internalPort
                        ? "this port serves only the 2PC participant protocol"
                        : "the 2PC participant protocol is not served on this port"));
    }
}
