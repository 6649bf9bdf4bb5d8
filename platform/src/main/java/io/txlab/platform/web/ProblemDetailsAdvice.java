package io.txlab.platform.web;

import io.txlab.platform.idempotency.IdempotencyKeyReusedException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every client error the services share into an RFC 9457 {@code application/problem+json} body with a
 * detail a person can act on. Extending {@link ResponseEntityExceptionHandler} replaces Spring Boot's default
 * problem-details handler, so framework errors (405, 415, missing header, ...) keep their RFC 9457 shape too.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** Base of the {@code type} URIs of txlab's own problem types. */
    public static final String PROBLEM_BASE = "https://txlab.io/problems/";

    /** A problem of one of txlab's own types. */
    public static ProblemDetail problem(HttpStatusCode status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(PROBLEM_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.<String, Object>of(
                        "field", error.getField(),
                        "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        String detail = errors.stream()
                .map(error -> error.get("field") + " " + error.get("message"))
                .sorted()
                .reduce((a, b) -> a + "; " + b)
                .orElse("request body is invalid");
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = ex.getAllErrors().stream()
                .map(error -> String.valueOf(error.getDefaultMessage()))
                .sorted()
                .reduce((a, b) -> a + "; " + b)
                .orElse("request is invalid");
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (RequestSizeLimitFilter.isPayloadTooLarge(ex)) {
            ProblemDetail problem = RequestSizeLimitFilter.tooLarge(RequestSizeLimitFilter.limitOf(ex));
            return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request body",
                "request body is not valid JSON for this operation: " + rootMessage(ex));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ProblemDetail idempotencyKeyReused(IdempotencyKeyReusedException ex) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                "Idempotency key reused with a different request", ex.getMessage());
    }

    @ExceptionHandler(UnknownReferenceException.class)
    ProblemDetail unknownReference(UnknownReferenceException ex) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-" + ex.kind(),
                "Unknown " + ex.kind(), ex.getMessage());
        problem.setProperty(ex.kind(), ex.references());
        return problem;
    }

    /**
     * The service's own database is down, or the statement met a transient failure (serialization, deadlock, lock
     * timeout): nothing was committed, so the client may retry (503, {@code Retry-After: 1}).
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(RuntimeException ex) {
        log.warn("Answering 503: the database is unavailable or the statement failed transiently: {}", rootMessage(ex));
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
                "Database unavailable", "the service's database could not complete the request; nothing was "
                        + "written, retry later");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem);
    }

    /**
     * Anything else no handler claimed: 500 as problem+json (never the container's default error body), with a detail
     * that leaks no internals; the stack trace goes to the log. The services' own advices are found before this
     * one (component scan precedes auto-configuration), so their specific handlers still win.
     */
    @ExceptionHandler(Exception.class)
    ProblemDetail unhandled(Exception ex) {
        log.error("Unhandled error answering 500", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "the service failed to handle the request; see its log");
    }

    /** The innermost message, trimmed: Jackson's messages name the line, column and offending token. */
    private static String rootMessage(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = String.valueOf(cause.getMessage());
        int newline = message.indexOf('\n');
        message = newline > 0 ? message.substring(0, newline) : message;
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
