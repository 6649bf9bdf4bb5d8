package io.txlab.twopc.protocol;

import io.txlab.contracts.CrashPointNames;
import io.txlab.contracts.twopc.Decision;
import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.PrepareRequest;
import io.txlab.contracts.twopc.Resolution;
import io.txlab.contracts.twopc.TransactionOutcome.ParticipantVote;
import io.txlab.contracts.twopc.TransactionOutcome;
import io.txlab.contracts.twopc.Vote;
import io.txlab.platform.chaos.CrashPoints;
import io.txlab.platform.tracing.OrderTracing;
import io.txlab.twopc.config.TwopcProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.stereotype.Service;

/**
 * Runs the two-phase commit protocol for one global transaction:
 * <ol>
 *   <li>log BEGUN (so a participant asking about the gid hears PENDING, and recovery can time it out);</li>
 *   <li>phase one: {@code prepare} on every participant in parallel, each call bounded by the HTTP read timeout
 *       and all of them by {@code prepare-timeout}; an error or timeout counts as a NO vote;</li>
 *   <li>decide: all YES &rarr; force COMMIT to the log before anything else; otherwise ABORT (logged lazily:
 *       presumed abort);</li>
 *   <li>phase two: commit or roll back every participant in parallel with a few quick in-line retries; whatever is
 *       still unacknowledged stays COMMITTING/ABORTING in the log and {@link Recovery} re-drives it with backoff.
 *       A participant the caller resolves itself ({@link PrepareRequest.Participant#resolvedByCaller()}, ADR 56) is
 *       left out of the in-line phase two: the caller applies the decision it is returned.</li>
 * </ol>
 * On ABORT, rollback goes to every participant, not only to those that voted YES: a prepare that timed out here
 * may still have prepared over there. A participant that gave no vote at all (silent until the timeout or the
 * transaction's deadline, or failing) gets its rollback from {@link Recovery}, not in line: the decision is already
 * durable (presumed abort), and calling a silent participant again would only hold the caller's answer for the read
 * timeout of every in-line attempt (adr/0038).
 */
@Service
public class Coordinator implements DisposableBean {

    /** Halt point after phase one, before the decision is logged: recovery must time the transaction out. */
    public static final String AFTER_PREPARE_BEFORE_DECISION = CrashPointNames.TWOPC_AFTER_PREPARE_BEFORE_DECISION;
    /** Halt point after the decision is logged, before phase two: recovery must complete the decision. */
    public static final String AFTER_DECISION_LOGGED = CrashPointNames.TWOPC_AFTER_DECISION_LOGGED;

    private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
    private static final int MAX_PARTICIPANTS = 10;

    private final DecisionLog decisions;
    private final ParticipantClient participants;
    private final CrashPoints crashPoints;
    private final TwopcProperties properties;
    private final RetryTemplate phaseTwoRetry;
    private final ExecutorService calls;
    private final OrderTracing tracing;

    public Coordinator(DecisionLog decisions, ParticipantClient participants, CrashPoints crashPoints,
                       TwopcProperties properties, OrderTracing tracing) {
        this.decisions = decisions;
        this.participants = participants;
        this.crashPoints = crashPoints;
        this.properties = properties;
        this.phaseTwoRetry = new RetryTemplate(RetryPolicy.builder()
                .maxRetries(Math.max(0, properties.phaseTwoAttempts() - 1))
                .delay(properties.phaseTwoBackoff())
                .multiplier(2)
                .build());
        AtomicInteger threads = new AtomicInteger();
        this.tracing = tracing;
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "twopc-call-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs both phases. Returns after the decision and the in-line phase-two attempts.
     *
     * @throws IllegalArgumentException on an invalid gid or participant list, or a participant not allowed
     * @throws GidConflictException     if the gid is logged already with other participants
     */
    public TransactionOutcome execute(PrepareRequest request) {
        List<PrepareRequest.Participant> requested = validate(request);
        for (PrepareRequest.Participant p : requested) {
            if (!properties.allowsParticipant(p.baseUrl())) {
                throw new IllegalArgumentException("participant " + p.name() + ": " + p.baseUrl()
                        + " is not one of txlab.twopc.allowed-participants");
            }
        }
        String gid = request.gid() == null ? Gid.random() : Gid.requireValid(request.gid());
        List<ParticipantEndpoint> endpoints = requested.stream()
                .map(p -> new ParticipantEndpoint(p.name(), p.baseUrl())).toList();

        if (!decisions.begin(gid, endpoints)) {
            LoggedTransaction known = decisions.find(gid).orElseThrow();
            if (!new HashSet<>(known.participants()).equals(new HashSet<>(endpoints))) {
                throw new GidConflictException(gid, known.participants(), endpoints);
            }
            return new TransactionOutcome(gid, known.state().decision(), known.state().finished(), List.of());
        }

        Set<String> silent = new HashSet<>();
        List<ParticipantVote> votes = prepareAll(gid, requested, request.deadline(), silent);
        crashPoints.reach(AFTER_PREPARE_BEFORE_DECISION);

        boolean allYes = votes.stream().allMatch(v -> v.vote() == Vote.Value.YES);
        Decision.Value decision;
        if (allYes && decisions.decideCommit(gid, properties.phaseTwoGrace())) {
            decision = Decision.Value.COMMIT;
        } else {
            if (allYes) {
                log.warn("{}: all participants voted YES but recovery had already decided ABORT (prepare timeout)", gid);
            }
            decisions.decideAbort(gid, properties.phaseTwoGrace());
            decision = Decision.Value.ABORT;
        }
        crashPoints.reach(AFTER_DECISION_LOGGED);

        // A branch the caller resolves itself hears the decision from the caller, not from us (ADR 56).
        Set<String> callerResolves = new HashSet<>();
        requested.stream().filter(PrepareRequest.Participant::resolvedByCaller)
                .forEach(p -> callerResolves.add(p.name()));
        List<ParticipantEndpoint> inLine = endpoints.stream().filter(p -> !callerResolves.contains(p.name())).toList();
        boolean completed;
        if (decision == Decision.Value.ABORT && !silent.isEmpty()) {
            completed = phaseTwo(gid, decision, inLine.stream().filter(p -> !silent.contains(p.name())).toList(),
                    true, silent.stream().sorted().map(name -> name + ": gave no vote; its rollback is left to recovery")
                            .toList());
        } else {
            completed = phaseTwo(gid, decision, inLine, true);
        }
        return new TransactionOutcome(gid, decision, completed, votes);
    }

    /**
     * Phase one: waits for every vote until the prepare timeout or the transaction's own deadline, whichever is first.
     * A participant still silent then votes NO: {@code DEADLINE_EXCEEDED} when the deadline was the bound (the
     * business gave up on it), {@code TECHNICAL_FAILURE} when the coordinator's timeout was.
     */
    private List<ParticipantVote> prepareAll(String gid, List<PrepareRequest.Participant> requested,
                                             Instant businessDeadline, Set<String> silent) {
        List<Future<Vote>> pending = new ArrayList<>();
        // The calls run on pool threads in this request's trace context: they are spans of the order's trace.
        ExecutorService traced = tracing.inCurrentContext(calls);
        String epoch = decisions.epoch();
        for (PrepareRequest.Participant p : requested) {
            ParticipantEndpoint endpoint = new ParticipantEndpoint(p.name(), p.baseUrl());
            pending.add(traced.submit(() -> participants.prepare(endpoint, gid, epoch, p.operation())));
        }
        long timeoutNanos = properties.prepareTimeout().toNanos();
        boolean deadlineBinds = false;
        if (businessDeadline != null) {
            long untilDeadline = Duration.between(Instant.now(), businessDeadline).toNanos();
            if (untilDeadline < timeoutNanos) {
                timeoutNanos = Math.max(0, untilDeadline);
                deadlineBinds = true;
            }
        }
        long deadline = System.nanoTime() + timeoutNanos;
        List<ParticipantVote> votes = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            String name = requested.get(i).name();
            Future<Vote> future = pending.get(i);
            try {
                Vote vote = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                votes.add(new ParticipantVote(name, vote.vote(), vote.reason()));
            } catch (TimeoutException e) {
                future.cancel(true);
                silent.add(name);
                votes.add(new ParticipantVote(name, Vote.Value.NO, deadlineBinds
                        ? "DEADLINE_EXCEEDED: no vote by the transaction's deadline " + businessDeadline
                        : "TECHNICAL_FAILURE: no vote within the prepare timeout"));
            } catch (ExecutionException e) {
                log.warn("{}: prepare on {} failed: {}", gid, name, e.getCause().toString());
                silent.add(name);
                votes.add(new ParticipantVote(name, Vote.Value.NO, "TECHNICAL_FAILURE: " + e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                silent.add(name);
                votes.add(new ParticipantVote(name, Vote.Value.NO, "TECHNICAL_FAILURE: interrupted"));
            }
        }
        return votes;
    }

    /**
     * Sends the decision to every participant; true when all acknowledged, after which the log says COMMITTED or
     * ABORTED. Otherwise the attempt is counted and the next one scheduled with exponential backoff.
     *
     * @param retryInline whether each participant call gets the quick in-line retries (the request path) or a
     *                    single attempt (recovery, whose own schedule is the retry)
     */
    boolean phaseTwo(String gid, Decision.Value decision, List<ParticipantEndpoint> endpoints, boolean retryInline) {
        return phaseTwo(gid, decision, endpoints, retryInline, List.of());
    }

    /** @param notSent participants not called now, each as the error it leaves for recovery */
    private boolean phaseTwo(String gid, Decision.Value decision, List<ParticipantEndpoint> endpoints,
                             boolean retryInline, List<String> notSent) {
        ExecutorService traced = tracing.inCurrentContext(calls);
        List<CompletableFuture<String>> acks = endpoints.stream()
                .map(p -> CompletableFuture.supplyAsync(() -> sendDecision(gid, decision, p, retryInline), traced))
                .toList();
        List<String> errors = new ArrayList<>(notSent);
        for (CompletableFuture<String> ack : acks) {
            String error = ack.join();
            if (error != null) {
                errors.add(error);
            }
        }
        TransactionState deciding = decision == Decision.Value.COMMIT ? TransactionState.COMMITTING : TransactionState.ABORTING;
        if (errors.isEmpty()) {
            decisions.complete(gid, deciding);
            return true;
        }
        int attempts = decisions.find(gid).map(LoggedTransaction::attempts).orElse(0);
        decisions.phaseTwoFailed(gid, String.join("; ", errors), backoff(attempts));
        log.warn("{}: {} not acknowledged by every participant (attempt {}), recovery will retry: {}",
                gid, decision, attempts + 1, errors);
        return false;
    }

    /**
     * Returns null when acknowledged, else a short error description. A participant that recorded the opposite outcome
     * ({@link Resolution.Result#RESOLVED_OTHERWISE}) has not acknowledged anything: the transaction stays COMMITTING or
     * ABORTING with that error, for an operator, and is logged at ERROR on every attempt.
     */
    private String sendDecision(String gid, Decision.Value decision, ParticipantEndpoint p, boolean retryInline) {
        Resolution answer;
        try {
            answer = retryInline ? phaseTwoRetry.execute(() -> send(gid, decision, p)) : send(gid, decision, p);
        } catch (RetryException e) {
            return p.name() + ": " + e.getLastException();
        } catch (RuntimeException e) {
            return p.name() + ": " + e;
        }
        if (answer != null && answer.result() == Resolution.Result.RESOLVED_OTHERWISE) {
            log.error("{}: {} says its branch was resolved the other way than the decision {} (heuristic outcome): "
                    + "not counted as acknowledged, an operator must reconcile it", gid, p.name(), decision);
            return p.name() + ": " + HEURISTIC + " (branch resolved against the decision " + decision + ")";
        }
        return null;
    }

    /** The error a heuristic outcome leaves in the decision log. */
    public static final String HEURISTIC = "heuristic outcome";

    private Resolution send(String gid, Decision.Value decision, ParticipantEndpoint p) {
        return decision == Decision.Value.COMMIT ? participants.commit(p, gid) : participants.rollback(p, gid);
    }

    private Duration backoff(int attempts) {
        long base = Math.max(1, properties.phaseTwoBackoff().toMillis()) * 10;
        long millis = base << Math.min(attempts, 16);
        return Duration.ofMillis(Math.min(millis, properties.maxBackoff().toMillis()));
    }

    private static List<PrepareRequest.Participant> validate(PrepareRequest request) {
        if (request == null || request.participants() == null || request.participants().isEmpty()) {
            throw new IllegalArgumentException("participants must list 1 to " + MAX_PARTICIPANTS + " participants");
        }
        if (request.participants().size() > MAX_PARTICIPANTS) {
            throw new IllegalArgumentException("at most " + MAX_PARTICIPANTS + " participants");
        }
        Set<String> names = new HashSet<>();
        for (PrepareRequest.Participant p : request.participants()) {
            if (p == null) {
                throw new IllegalArgumentException("participant must not be null");
            }
            Gid.requireValidBranch(p.name());
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("duplicate participant name '" + p.name() + "'");
            }
            if (p.baseUrl() == null || !p.baseUrl().matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
                throw new IllegalArgumentException("participant " + p.name() + ": baseUrl must be an http(s) URL");
            }
        }
        return request.participants();
    }

    @Override
    public void destroy() {
        calls.shutdownNow();
    }
}
