package io.txlab.order.api;

import io.txlab.order.order.Order;
import io.txlab.order.order.OrderFinalized;
import io.txlab.order.order.OrderService;
import io.txlab.platform.scheduling.PeriodicTask;
import io.txlab.platform.web.ProblemDetailsAdvice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The long-polls of {@code GET /orders/{id}?waitForFinal=...} and of {@code POST /orders} with {@code Prefer: wait=n}:
 * each is a {@link DeferredResult}, so waiting holds no servlet thread. A waiter completes
 * <ul>
 *   <li>at once when this process finalizes the order ({@link OrderFinalized}, published after commit);</li>
 *   <li>within one tick when another replica (or anything else) finalized it: every {@value #TICK_MILLIS} ms one
 *       batched query asks which of the awaited orders are final;</li>
 *   <li>at its deadline, with the order's current (PENDING) state, checked on the same tick.</li>
 * </ul>
 */
@Component
public class FinalOrderWaiters implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(FinalOrderWaiters.class);

    static final long TICK_MILLIS = 250;
    /** Only a safety net: the tick answers at the deadline, this fires if the database stayed unreachable. */
    private static final Duration SAFETY_MARGIN = Duration.ofSeconds(10);
    private static final int BATCH = 500;
    /**
     * How many of this process's latest finalizations {@link #latest} remembers: seconds of them at hundreds of orders
     * per second, for a window (placement's commit to the waiter's registration) of milliseconds.
     */
    static final int RECENT = 4096;

    private final OrderService orders;
    private final Map<UUID, Set<Waiter>> byOrder = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<UUID, Order> recent = new LinkedHashMap<>(RECENT * 4 / 3 + 1) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Order> eldest) {
            return size() > RECENT;
        }
    };
    private final int maxWaiting;
    private final PeriodicTask ticker;

    public FinalOrderWaiters(OrderService orders, LongPollProperties properties) {
        this.orders = orders;
        long heap = Runtime.getRuntime().maxMemory();
        this.maxWaiting = properties.maxWaitingFor(heap);
        LOG.info("Long-polls: at most {} wait at once ({})", maxWaiting, properties.sourceOf(heap));
        // A failed tick (database unreachable) is logged by PeriodicTask; the next tick retries.
        Duration tick = Duration.ofMillis(TICK_MILLIS);
        this.ticker = new PeriodicTask("order-final-waiters", tick, tick, this::tick);
        ticker.start();
    }

    /**
     * A result completed with the order once it is final, or with its current state after {@code wait}. The waiter
     * is registered before {@code current} reads the order: a finalization that lands between the read and the
     * registration would otherwise wait for the next tick instead of completing the waiter at once.
     *
     * @param current reads the order now (and throws if there is none: nothing is left registered then)
     * @throws ErrorResponseException 503 {@code long-poll-capacity} when {@code max-waiting} long-polls wait already
     */
    DeferredResult<ResponseEntity<OrderView>> await(UUID orderId, Duration wait, Supplier<OrderView> current) {
        DeferredResult<ResponseEntity<OrderView>> result = tryAwait(orderId, wait, current, ResponseEntity::ok);
        if (result == null) {
            ProblemDetail full = ProblemDetailsAdvice.problem(HttpStatus.SERVICE_UNAVAILABLE, "long-poll-capacity",
                    "Too many long-polls", maxWaiting + " long-polls are waiting already; retry, or read the order "
                            + "without waitForFinal");
            ErrorResponseException refused = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, full, null);
            refused.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
            throw refused;
        }
        return result;
    }

    /**
     * The same for an order just placed ({@code POST /orders} with {@code Prefer: wait=n}), every answer built by
     * {@code answer} (201 with its Location); empty when {@code max-waiting} long-polls wait already: the order is
     * placed, so the caller answers with its state at once rather than turn a preference into an error.
     *
     * <p>No read of the database: {@code placed} is the order as its placement (or the replay's read) left it, and a
     * finalization since then is either this process's, seen in its {@link #latest recent finalizations}, or another
     * replica's, found by the next tick.
     */
    Optional<DeferredResult<ResponseEntity<OrderView>>> awaitPlaced(
            Order placed, Duration wait, Function<Order, OrderView> view,
            Function<OrderView, ResponseEntity<OrderView>> answer) {
        return Optional.ofNullable(tryAwait(placed.id(), wait, () -> view.apply(latest(placed)), answer));
    }

    /**
     * {@code order}, or its final state if this process finalized it in its last {@value #RECENT} finalizations: what a
     * read of the database would answer, without the read, for an order this process just placed or read.
     */
    Order latest(Order order) {
        if (order.isFinal()) {
            return order;
        }
        Order finalized;
        synchronized (recent) {
            finalized = recent.get(order.id());
        }
        return finalized == null ? order : finalized;
    }

    /** The waiting result, or null when {@code max-waiting} long-polls wait already (each caller says what then). */
    private DeferredResult<ResponseEntity<OrderView>> tryAwait(UUID orderId, Duration wait, Supplier<OrderView> current,
                                                               Function<OrderView, ResponseEntity<OrderView>> answer) {
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            return null;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                waiting.decrementAndGet();
            }
        };
        DeferredResult<ResponseEntity<OrderView>> result;
        try {
            result = register(orderId, wait, current, answer, release);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        if (result.hasResult()) {
            release.run();
        }
        return result;
    }

    private DeferredResult<ResponseEntity<OrderView>> register(UUID orderId, Duration wait, Supplier<OrderView> current,
                                                               Function<OrderView, ResponseEntity<OrderView>> answer,
                                                               Runnable release) {
        DeferredResult<ResponseEntity<OrderView>> result =
                new DeferredResult<>(wait.plus(SAFETY_MARGIN).toMillis());
        Waiter waiter = new Waiter(orderId, System.nanoTime() + wait.toNanos(), result, answer);
        result.onTimeout(() -> result.setErrorResult(new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE,
                ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                        "the state of order " + orderId + " could not be read"), null)));
        result.onCompletion(() -> {
            remove(waiter);
            release.run();
        });
        byOrder.compute(orderId, (id, waiters) -> {
            Set<Waiter> set = waiters == null ? ConcurrentHashMap.newKeySet() : waiters;
            set.add(waiter);
            return set;
        });
        OrderView now;
        try {
            now = current.get();
        } catch (RuntimeException e) {
            remove(waiter);
            throw e;
        }
        if (now.status().isFinal() || wait.isZero()) {
            remove(waiter);
            result.setResult(answer.apply(now));
        }
        return result;
    }

    /** How many long-polls are waiting now. */
    public int waiting() {
        return byOrder.values().stream().mapToInt(Set::size).sum();
    }

    @EventListener
    void onFinalized(OrderFinalized event) {
        // Remembered before the waiters are looked up, and a waiter is registered before it looks here: whichever
        // comes second sees the other, so no waiter misses its order's finalization.
        synchronized (recent) {
            recent.put(event.order().id(), event.order());
        }
        Set<Waiter> waiters = byOrder.remove(event.order().id());
        if (waiters != null) {
            waiters.forEach(waiter -> waiter.complete(event.order()));
        }
    }

    private void tick() {
        if (byOrder.isEmpty()) {
            return;
        }
        List<UUID> awaited = new ArrayList<>(byOrder.keySet());
        for (int from = 0; from < awaited.size(); from += BATCH) {
            for (Order order : orders.findFinal(awaited.subList(from, Math.min(awaited.size(), from + BATCH)))) {
                Set<Waiter> waiters = byOrder.remove(order.id());
                if (waiters != null) {
                    waiters.forEach(waiter -> waiter.complete(order));
                }
            }
        }
        long now = System.nanoTime();
        Set<UUID> expired = new HashSet<>();
        byOrder.values().forEach(waiters -> waiters.stream()
                .filter(waiter -> now - waiter.deadlineNanos() >= 0)
                .forEach(waiter -> expired.add(waiter.orderId())));
        List<UUID> expiredIds = new ArrayList<>(expired);
        for (int from = 0; from < expiredIds.size(); from += BATCH) {
            for (Order order : orders.findAll(expiredIds.subList(from, Math.min(expiredIds.size(), from + BATCH)))) {
                Set<Waiter> waiters = byOrder.get(order.id());
                if (waiters != null) {
                    waiters.stream()
                            .filter(waiter -> now - waiter.deadlineNanos() >= 0 || order.isFinal())
                            .forEach(waiter -> waiter.complete(order));
                }
            }
        }
    }

    private void remove(Waiter waiter) {
        byOrder.computeIfPresent(waiter.orderId(), (id, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    @Override
    public void destroy() {
        ticker.stop();
    }

    private record Waiter(UUID orderId, long deadlineNanos, DeferredResult<ResponseEntity<OrderView>> result,
                          Function<OrderView, ResponseEntity<OrderView>> answer) {

        void complete(Order order) {
            result.setResult(answer.apply(OrderView.of(order)));
        }
    }
}
