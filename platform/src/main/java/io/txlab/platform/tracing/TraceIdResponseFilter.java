package io.txlab.platform.tracing;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers every request with {@code X-Trace-Id: <32-hex trace id>} of its server span, so a client (the load
 * generator, a person with curl) can open the order's trace in Zipkin. Set before the handler runs, while the
 * response is not committed yet. The id is there whether or not the trace was sampled; only sampled traces reach
 * Zipkin.
 */
public class TraceIdResponseFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Trace-Id";

    private final OrderTracing tracing;

    public TraceIdResponseFilter(OrderTracing tracing) {
        this.tracing = tracing;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        tracing.currentTraceId().ifPresent(id -> response.setHeader(HEADER, id));
        chain.doFilter(request, response);
    }
}
