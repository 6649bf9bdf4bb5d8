package io.txlab.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies above {@code txlab.web.max-body-bytes} with 413 before anything reads them. A declared
 * {@code Content-Length} is checked up front; a chunked body is counted while it is read, and the overflow surfaces
 * as {@link PayloadTooLargeException} inside the JSON reader, which {@link ProblemDetailsAdvice} maps to 413.
 * Nothing is written in either case because the controller never runs.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;

    public RequestSizeLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            respondTooLarge(request, response, maxBytes);
            return;
        }
        chain.doFilter(declared >= 0 ? request : new CountingRequest(request, maxBytes), response);
    }

    /**
     * Answers 413 if {@code failure} is a body read past the limit (for a filter that reads the body itself).
     *
     * @return whether it answered
     */
    public static boolean respondIfTooLarge(Throwable failure, HttpServletRequest request,
                                            HttpServletResponse response) throws IOException {
        long limit = limitOf(failure);
        if (limit < 0) {
            return false;
        }
        respondTooLarge(request, response, limit);
        return true;
    }

    private static void respondTooLarge(HttpServletRequest request, HttpServletResponse response, long limit)
            throws IOException {
        ProblemDetail problem = tooLarge(limit);
        problem.setInstance(java.net.URI.create(request.getRequestURI()));
        writeProblem(response, problem);
    }

    /**
     * Answers {@code problem} from a servlet filter, which runs outside Spring MVC's message converters: status,
     * {@code application/problem+json}, and the body built by hand (its fields are txlab's own strings; quotes and
     * backslashes in them are escaped).
     */
    public static void writeProblem(HttpServletResponse response, ProblemDetail problem) throws IOException {
        String json = "{\"type\":\"" + problem.getType() + "\",\"title\":\"" + escape(problem.getTitle())
                + "\",\"status\":" + problem.getStatus() + ",\"detail\":\"" + escape(problem.getDetail()) + "\""
                + (problem.getInstance() == null ? "" : ",\"instance\":\"" + problem.getInstance() + "\"") + "}";
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        return String.valueOf(text).replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static ProblemDetail tooLarge(long maxBytes) {
        return ProblemDetailsAdvice.problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large",
                "request body exceeds the limit of " + maxBytes + " bytes");
    }

    static boolean isPayloadTooLarge(Throwable ex) {
        return limitOf(ex) >= 0;
    }

    static long limitOf(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return tooLarge.limit();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return -1;
    }

    /** Thrown while reading a body without Content-Length once it passes the limit. */
    static final class PayloadTooLargeException extends IOException {
        private final long limit;

        PayloadTooLargeException(long limit) {
            super("request body exceeds the limit of " + limit + " bytes");
            this.limit = limit;
        }

        long limit() {
            return limit;
        }
    }

    private static final class CountingRequest extends HttpServletRequestWrapper {
        private final long maxBytes;

        CountingRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long count;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0) {
                        count(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0) {
                        count(n);
                    }
                    return n;
                }

                private void count(int n) throws IOException {
                    count += n;
                    if (count > maxBytes) {
                        throw new PayloadTooLargeException(maxBytes);
                    }
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
