package io.txlab.twopc.api;

import io.txlab.contracts.twopc.Decision;
import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.PrepareRequest;
import io.txlab.contracts.twopc.TransactionOutcome;
import io.txlab.platform.web.ProblemDetailsAdvice;
import io.txlab.twopc.protocol.Coordinator;
import io.txlab.twopc.protocol.DecisionLog;
import io.txlab.twopc.protocol.GidConflictException;
import io.txlab.twopc.protocol.LoggedTransaction;
import io.txlab.twopc.protocol.TransactionState;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The coordinator API; see {@code io.txlab.contracts.twopc} for the protocol. */
@RestController
public class TransactionController {

    private final Coordinator coordinator;
    private final DecisionLog decisions;

    public TransactionController(Coordinator coordinator, DecisionLog decisions) {
        this.coordinator = coordinator;
        this.decisions = decisions;
    }

    @PostMapping("/transactions")
    public TransactionOutcome run(@RequestBody PrepareRequest request) {
        return coordinator.execute(request);
    }

    /** Presumed abort: a gid that was never logged is ABORT, said to be presumed, with this log's epoch. */
    @GetMapping("/transactions/{gid}")
    public Decision decision(@PathVariable String gid) {
        Gid.requireValid(gid);
        Optional<LoggedTransaction> logged = decisions.find(gid);
        return logged.map(t -> new Decision(gid, t.state().decision(), decisions.epoch(), false))
                .orElseGet(() -> new Decision(gid, TransactionState.ABORTED.decision(), decisions.epoch(), true));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail invalid(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(GidConflictException.class)
    ProblemDetail conflict(GidConflictException e) {
        return ProblemDetailsAdvice.problem(HttpStatus.CONFLICT, "gid-conflict", "Gid logged with other participants",
                e.getMessage());
    }
}
