package io.txlab.platform.internal;

import io.txlab.contracts.twopc.RequestSignature;
import io.txlab.platform.web.ProblemDetailsAdvice;
import io.txlab.platform.web.RequestSizeLimitFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.util.StreamUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses every request to the paths it is registered for unless it carries a valid {@link RequestSignature}: 401
 * with an RFC 9457 body, before any endpoint runs. The body is read once here (it is part of the signature) and
 * handed on unchanged.
 */
public final class SignedRequestFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SignedRequestFilter.class);

    private final InternalProperties properties;
    private final RequestSignature signature;
    private final RequestSignature previous;
    private final Clock clock;

    public SignedRequestFilter(InternalProperties properties, Clock clock) {
        this.properties = properties;
        this.signature = properties.secret().isBlank() ? null : new RequestSignature(properties.secret());
        this.previous = properties.previousSecret().isBlank() ? null : new RequestSignature(properties.previousSecret());
        this.clock = clock;
    }

    /**
     * Reads stay open (the coordinator's {@code GET /twopc/in-doubt} report, its decision on a gid, a payment or a
     * reservation drive nothing); every request that changes something on these paths is checked.
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body;
        try {
            body = StreamUtils.copyToByteArray(request.getInputStream());
        } catch (IOException | RuntimeException e) {
            if (RequestSizeLimitFilter.respondIfTooLarge(e, request, response)) {
                return;
            }
            throw e;
        }
        String pathAndQuery = request.getQueryString() == null
                ? request.getRequestURI() : request.getRequestURI() + "?" + request.getQueryString();
        String refusal = signature == null
                ? "this service has no txlab.internal.secret, so it accepts no internal request"
                : verify(signature, request, pathAndQuery, body);
        if (refusal != null && signature != null && previous != null
                && verify(previous, request, pathAndQuery, body) == null) {
            refusal = null;
        }
        if (refusal != null) {
            log.warn("Refused unsigned or badly signed internal request {} {} from {}: {}", request.getMethod(),
                    request.getRequestURI(), request.getRemoteAddr(), refusal);
            RequestSizeLimitFilter.writeProblem(response, ProblemDetailsAdvice.problem(HttpStatus.UNAUTHORIZED,
                    "internal-request-unauthenticated", "Internal request not authenticated",
                    refusal + "; internal endpoints answer only requests signed with the shared secret"));
            return;
        }
        chain.doFilter(new BodyReplay(request, body), response);
    }

    private String verify(RequestSignature by, HttpServletRequest request, String pathAndQuery, byte[] body) {
        return by.verify(request.getHeader(RequestSignature.TIMESTAMP_HEADER),
                request.getHeader(RequestSignature.SIGNATURE_HEADER), request.getMethod(), pathAndQuery, body,
                clock.instant(), properties.maxSkew());
    }

    /** The request with its already-read body served again. */
    private static final class BodyReplay extends HttpServletRequestWrapper {

        private final byte[] body;

        BodyReplay(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("internal requests are read blocking");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
