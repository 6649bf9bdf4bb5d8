package io.txlab.order.twopc;

import io.txlab.contracts.CrashPointNames;
import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.inventory.StockLine;
import io.txlab.contracts.order.OrderLine;
import io.txlab.contracts.twopc.AuthorizePayment;
import io.txlab.contracts.twopc.ConfirmOrder;
import io.txlab.contracts.twopc.Decision;
import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.PrepareRequest;
import io.txlab.contracts.twopc.ReserveStock;
import io.txlab.contracts.twopc.Resolution;
import io.txlab.contracts.twopc.TransactionOutcome;
import io.txlab.contracts.twopc.Vote;
import io.txlab.order.config.ServicesProperties;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderService;
import io.txlab.platform.chaos.CrashPoints;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.internal.InternalPort;
import io.txlab.platform.twopc.PreparedTransactions;
import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Settles one {@code twopc} order: asks the coordinator to run the global transaction over the inventory, payment
 * and order branches (gid {@link Gid#of derived from the order id}) and applies the outcome to the order.
 * <ul>
 *   <li>COMMIT: the order branch's {@code COMMIT PREPARED} is what makes the order CONFIRMED. By default this service
 *       resolves its own branch: the coordinator prepares it over the protocol port like the others, but returns
 *       the decision instead of calling back with it, and the branch is committed here, in process (ADR 56). With
 *       {@code txlab.twopc.resolve-own-branch=false} the coordinator commits it, and it is committed here only when the
 *       coordinator could not finish phase two in line (same decision, idempotent) rather than waiting for the
 *       participant recovery.</li>
 *   <li>ABORT: the order is cancelled in a local transaction with the first NO vote's reason when it is a
 *       {@link RejectionReason}, else {@code TECHNICAL_FAILURE}. The order branch, if it was prepared and is not rolled
 *       back yet, is rolled back first so the cancel does not wait behind its row lock.</li>
 *   <li>No answer: when the call certainly never reached the coordinator (connection refused, or refused as
 *       invalid before anything was logged) the gid is unknown there, which is presumed abort: cancel. Any other
 *       failure (a timeout, a coordinator that died mid-protocol) leaves the order PENDING for
 *       {@link TwopcRecoverySweep}, which asks the coordinator once it can answer.</li>
 * </ul>
 */
@Component
@ConditionalOnFlow(Flow.TWOPC)
public class TwopcSettlement {

    static final String INVENTORY = "inventory";
    static final String PAYMENT = "payment";
    static final String ORDER = "order";

    private static final Logger log = LoggerFactory.getLogger(TwopcSettlement.class);

    private final CoordinatorApi coordinator;
    private final OrderService orders;
    private final PreparedTransactions orderBranch;
    private final ServicesProperties services;
    private final TwopcFlowProperties properties;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final CrashPoints crashPoints;
    private volatile URI selfUrl;

    public TwopcSettlement(CoordinatorApi coordinator, OrderService orders, PreparedTransactions orderBranch,
                           ServicesProperties services, TwopcFlowProperties properties, JdbcClient jdbc,
                           PlatformTransactionManager transactionManager, CrashPoints crashPoints) {
        this.coordinator = coordinator;
        this.orders = orders;
        this.orderBranch = orderBranch;
        this.services = services;
        this.properties = properties;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactionManager);
        this.crashPoints = crashPoints;
        this.selfUrl = properties.selfUrl();
    }

    /** Unset {@code self-url}: this service's participant port, the internal one when it has one (ADR 24). */
    @EventListener
    void onWebServer(WebServerInitializedEvent event) {
        if (properties.selfUrl() == null && event.getApplicationContext().getServerNamespace() == null) {
            InternalPort internal = event.getApplicationContext().getBeanProvider(InternalPort.class).getIfAvailable();
            int port = internal != null && internal.localPort() > 0 ? internal.localPort() : event.getWebServer().getPort();
            selfUrl = URI.create("http://127.0.0.1:" + port);
        }
    }

    /** Runs the protocol for {@code order} and applies the outcome; never throws. */
    public void settle(Order order) {
        String gid = Gid.of(order.id());
        TransactionOutcome outcome;
        try {
            outcome = coordinator.run(request(gid, order));
        } catch (ResourceAccessException e) {
            if (hasCause(e, ConnectException.class)) {
                log.warn("{}: coordinator unreachable, nothing was logged there (presumed abort): cancelling order {}",
                        gid, order.id());
                cancel(order.id(), RejectionReason.TECHNICAL_FAILURE.name());
            } else {
                log.warn("{}: no outcome from the coordinator ({}); order {} stays PENDING for the recovery sweep",
                        gid, e.toString(), order.id());
            }
            return;
        } catch (RestClientResponseException e) {
            if (e.getStatusCode().is4xxClientError()) {
                // The coordinator validates before it logs BEGUN: a refused request was never started.
                log.warn("{}: coordinator refused the transaction ({}): cancelling order {}", gid,
                        e.getResponseBodyAsString(), order.id());
                cancel(order.id(), RejectionReason.TECHNICAL_FAILURE.name());
            } else {
                log.warn("{}: coordinator failed ({}); order {} stays PENDING for the recovery sweep", gid,
                        e.getStatusCode(), order.id());
            }
            return;
        } catch (RuntimeException e) {
            log.warn("{}: no outcome from the coordinator; order {} stays PENDING for the recovery sweep", gid,
                    order.id(), e);
            return;
        }
        // The coordinator's "completed" leaves out the order branch when it is ours to resolve (ADR 56).
        boolean orderBranchResolved = outcome.completed() && !properties.resolveOwnBranch();
        if (!orderBranchResolved && outcome.decision() == Decision.Value.COMMIT) {
            crashPoints.reach(CrashPointNames.TWOPC_BEFORE_OWN_BRANCH);
        }
        apply(order.id(), outcome.decision(), orderBranchResolved, cancelReason(outcome.votes()));
    }

    /**
     * Applies a decision to the order and its own branch; {@code completed} tells whether the coordinator already
     * resolved the order branch. Used by {@link #settle} and by the recovery sweep (which passes {@code false}).
     */
    void apply(UUID orderId, Decision.Value decision, boolean completed, String reason) {
        String gid = Gid.of(orderId);
        try {
            switch (decision) {
                case COMMIT -> {
                    if (!completed && orderBranch.commitPrepared(gid) == Resolution.Result.COMMITTED) {
                        orders.announceFinal(orderId);
                    }
                }
                case ABORT -> {
                    if (!completed) {
                        orderBranch.rollbackPrepared(gid);
                    }
                    cancel(orderId, reason);
                }
                case PENDING -> log.info("{}: still undecided at the coordinator; order {} stays PENDING", gid, orderId);
            }
        } catch (DataAccessException e) {
            log.warn("{}: could not apply {} to order {} now ({}); the recovery sweep retries", gid, decision, orderId,
                    e.getMostSpecificCause().toString());
        }
    }

    /**
     * Cancels with a bounded lock wait: a branch of this order prepared behind our back (a prepare still running
     * when the coordinator gave up on it) holds the row until the participant recovery rolls it back, and a sweep
     * or launcher thread must not hang on it meanwhile.
     */
    private void cancel(UUID orderId, String reason) {
        try {
            tx.executeWithoutResult(status -> {
                jdbc.sql("SELECT set_config('lock_timeout', '2000ms', true)").query().singleValue();
                orders.cancel(orderId, reason);
            });
        } catch (DataAccessException e) {
            log.warn("cancelling order {} failed now ({}); the recovery sweep retries", orderId,
                    e.getMostSpecificCause().toString());
        }
    }

    PrepareRequest request(String gid, Order order) {
        // Lines naming the same SKU are summed by inventory anyway; sending them merged keeps the prepare body small.
        Map<String, Integer> bySku = new TreeMap<>();
        for (OrderLine line : order.lines()) {
            bySku.merge(line.sku(), line.quantity(), Math::addExact);
        }
        List<StockLine> lines = new ArrayList<>();
        bySku.forEach((sku, quantity) -> lines.add(new StockLine(sku, quantity)));
        return new PrepareRequest(gid, List.of(
                new PrepareRequest.Participant(INVENTORY, base(or(properties.inventoryUrl(), services.inventoryUrl())),
                        new ReserveStock(order.id(), lines)),
                new PrepareRequest.Participant(PAYMENT, base(or(properties.paymentUrl(), services.paymentUrl())),
                        new AuthorizePayment(order.id(), order.customerId(), order.total())),
                new PrepareRequest.Participant(ORDER, base(self()), new ConfirmOrder(order.id()),
                        properties.resolveOwnBranch())),
                order.deadlineAt());
    }

    private static URI or(URI preferred, URI fallback) {
        return preferred != null ? preferred : fallback;
    }

    private URI self() {
        URI self = selfUrl;
        if (self == null) {
            throw new IllegalStateException("txlab.twopc.self-url is not set and the web server has not started");
        }
        return self;
    }

    private static String base(URI url) {
        String s = url.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * The first NO vote's reason if it names a {@link RejectionReason} (alone, or before a {@code ": detail"}, as the
     * coordinator's {@code DEADLINE_EXCEEDED: ...}), else TECHNICAL_FAILURE.
     */
    static String cancelReason(List<TransactionOutcome.ParticipantVote> votes) {
        Optional<String> first = votes == null ? Optional.empty() : votes.stream()
                .filter(v -> v.vote() == Vote.Value.NO)
                .map(TransactionOutcome.ParticipantVote::reason)
                .filter(reason -> reason != null)
                .map(reason -> reason.split(":", 2)[0].strip())
                .findFirst();
        return first.filter(reason -> Arrays.stream(RejectionReason.values()).anyMatch(r -> r.name().equals(reason)))
                .orElse(RejectionReason.TECHNICAL_FAILURE.name());
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
