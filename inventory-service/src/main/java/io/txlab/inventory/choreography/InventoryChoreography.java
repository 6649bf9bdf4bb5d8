package io.txlab.inventory.choreography;

import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.SagaEvent;
import io.txlab.contracts.Topics;
import io.txlab.contracts.inventory.StockReleased;
import io.txlab.contracts.inventory.StockReservationFailed;
import io.txlab.contracts.inventory.StockReserved;
import io.txlab.contracts.order.OrderPlaced;
import io.txlab.contracts.payment.PaymentDeclined;
import io.txlab.inventory.inventory.InventoryService;
import io.txlab.inventory.inventory.ReservationOutcome;
import io.txlab.inventory.inventory.StockLine;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.messaging.Inbox;
import io.txlab.platform.messaging.SagaEventPublisher;
import io.txlab.platform.observability.SagaCompensationMetrics;
import java.util.function.Supplier;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * inventory-service's reactions: OrderPlaced → reserve → StockReserved | StockReservationFailed; PaymentDeclined →
 * release → StockReleased. The inbox record, the domain change and (outbox flow) the reaction's outbox row share one
 * local transaction; in the choreography flow the reaction is sent after it commits.
 */
@Component
@ConditionalOnFlow({Flow.CHOREOGRAPHY, Flow.OUTBOX})
@KafkaListener(id = "inventory-choreography", groupId = InventoryChoreography.CONSUMER,
        topics = {Topics.ORDER_EVENTS, Topics.PAYMENT_EVENTS},
        concurrency = "${txlab.choreography.concurrency:3}")
public class InventoryChoreography {

    /** The consumer group and the inbox's consumer name. */
    static final String CONSUMER = "inventory-service";

    private final InventoryService inventory;
    private final Inbox inbox;
    private final SagaEventPublisher publisher;
    private final TransactionTemplate tx;
    private final SagaCompensationMetrics compensations;

    public InventoryChoreography(InventoryService inventory, Inbox inbox, SagaEventPublisher publisher,
                                 PlatformTransactionManager transactionManager, MeterRegistry meters) {
        this.inventory = inventory;
        this.inbox = inbox;
        this.publisher = publisher;
        this.tx = new TransactionTemplate(transactionManager);
        this.compensations = new SagaCompensationMetrics(meters, SagaCompensationMetrics.RELEASE_STOCK,
                Flow.CHOREOGRAPHY, Flow.OUTBOX);
    }

    @KafkaHandler
    public void on(OrderPlaced event) {
        once(event, () -> {
            ReservationOutcome outcome = inventory.reserve(event.orderId(), event.lines().stream()
                    .map(line -> new StockLine(line.sku(), line.quantity())).toList());
            return switch (outcome.result()) {
                case RESERVED -> StockReserved.of(event.orderId(), event.flow(), event.customerId(), event.total(),
                        outcome.lines().stream()
                                .map(l -> new io.txlab.contracts.inventory.StockLine(l.sku(), l.quantity()))
                                .toList());
                case REJECTED -> StockReservationFailed.of(event.orderId(), event.flow(), outcome.reason());
                // Released before it was reserved: cannot follow from this saga's own events, only from an operator
                // or another flow's compensation; the order must not wait forever.
                case ALREADY_RELEASED -> StockReservationFailed.of(event.orderId(), event.flow(),
                        RejectionReason.TECHNICAL_FAILURE);
            };
        });
    }

    /** Compensation: the stock goes back before order cancels, so a cancelled order never holds stock. */
    @KafkaHandler
    public void on(PaymentDeclined event) {
        once(event, () -> {
            compensations.run(event.flow(), SagaCompensationMetrics.RELEASE_STOCK,
                    () -> inventory.release(event.orderId()));
            return StockReleased.of(event.orderId(), event.flow(), event.reason());
        });
    }

    /** PaymentAuthorized is order-service's business. */
    @KafkaHandler(isDefault = true)
    public void ignore(Object event) {
    }

    private void once(SagaEvent event, Supplier<SagaEvent> reaction) {
        tx.executeWithoutResult(status -> {
            if (inbox.firstDelivery(event.eventId(), CONSUMER)) {
                publisher.publish(reaction.get());
            }
        });
    }
}
