package io.txlab.order.api;

import io.txlab.order.catalogue.CatalogueUnavailableException;
import io.txlab.order.order.FlowNotImplementedException;
import io.txlab.order.order.PriceMismatchException;
import io.txlab.platform.web.ProblemDetailsAdvice;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 bodies for order-service's own refusals; the shared ones come from the platform's advice. */
@RestControllerAdvice(assignableTypes = OrderController.class)
public class OrderProblems {

    @ExceptionHandler(FlowNotImplementedException.class)
    ProblemDetail flowNotImplemented(FlowNotImplementedException ex) {
        ProblemDetail problem = ProblemDetailsAdvice.problem(HttpStatus.UNPROCESSABLE_CONTENT,
                "flow-not-implemented", "Flow not implemented", ex.getMessage());
        problem.setProperty("flow", ex.flow().id());
        return problem;
    }

    /** The client must show the catalogue price and ask again; the body lists each line's offered and real price. */
    @ExceptionHandler(PriceMismatchException.class)
    ProblemDetail priceMismatch(PriceMismatchException ex) {
        ProblemDetail problem = ProblemDetailsAdvice.problem(HttpStatus.UNPROCESSABLE_CONTENT,
                "price-mismatch", "Unit price is not the catalogue's", ex.getMessage());
        problem.setProperty("lines", ex.mismatches());
        return problem;
    }

    /** Without the owner's answer the order cannot be judged; nothing was written, so retrying is safe. */
    @ExceptionHandler(CatalogueUnavailableException.class)
    ResponseEntity<ProblemDetail> catalogueUnavailable(CatalogueUnavailableException ex) {
        ProblemDetail problem = ProblemDetailsAdvice.problem(HttpStatus.SERVICE_UNAVAILABLE,
                "dependency-unavailable", "Dependency unavailable", ex.getMessage());
        problem.setProperty("service", ex.service());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem);
    }
}
