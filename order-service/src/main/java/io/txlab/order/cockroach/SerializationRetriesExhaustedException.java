package io.txlab.order.cockroach;

import io.txlab.platform.web.ProblemDetailsAdvice;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The database refused to serialize an order's transaction on every attempt. Nothing was committed, so the client
 * may retry with the same {@code Idempotency-Key}; answered 503 with {@code Retry-After}.
 */
public class SerializationRetriesExhaustedException extends ErrorResponseException {

    private final int attempts;

    SerializationRetriesExhaustedException(String backend, String transaction, int attempts, String sqlState,
                                           Throwable last) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(backend, transaction, attempts, sqlState), last);
        this.attempts = attempts;
        getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
    }

    public int attempts() {
        return attempts;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }

    private static ProblemDetail problem(String backend, String transaction, int attempts, String sqlState) {
        ProblemDetail problem = ProblemDetailsAdvice.problem(HttpStatus.SERVICE_UNAVAILABLE,
                "serialization-retries-exhausted", "Serialization retries exhausted",
                "the " + transaction + " transaction of the cockroach flow failed to serialize " + attempts
                        + " times in a row (last SQLSTATE " + sqlState + " on " + backend
                        + "); nothing was written, retry with the same Idempotency-Key");
        problem.setProperty("attempts", attempts);
        problem.setProperty("sqlState", sqlState);
        problem.setProperty("backend", backend);
        return problem;
    }
}
