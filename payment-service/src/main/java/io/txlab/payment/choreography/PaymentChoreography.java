package io.txlab.payment.choreography;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.Topics;
import io.txlab.contracts.inventory.StockReserved;
import io.txlab.contracts.payment.PaymentAuthorized;
import io.txlab.contracts.payment.PaymentDeclined;
import io.txlab.payment.payment.PaymentOutcome;
import io.txlab.payment.payment.PaymentService;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.messaging.Inbox;
import io.txlab.platform.messaging.SagaEventPublisher;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * payment-service's reaction: StockReserved → authorize the order's total → PaymentAuthorized | PaymentDeclined. The
 * inbox record, the payment and (outbox flow) the reaction's outbox row share one local transaction; in the
 * choreography flow the reaction is sent after it commits.
 */
@Component
@ConditionalOnFlow({Flow.CHOREOGRAPHY, Flow.OUTBOX})
@KafkaListener(id = "payment-choreography", groupId = PaymentChoreography.CONSUMER,
        topics = Topics.INVENTORY_EVENTS, concurrency = "${txlab.choreography.concurrency:3}")
public class PaymentChoreography {

    /** The consumer group and the inbox's consumer name. */
    static final String CONSUMER = "payment-service";

    private final PaymentService payments;
    private final Inbox inbox;
    private final SagaEventPublisher publisher;
    private final TransactionTemplate tx;

    public PaymentChoreography(PaymentService payments, Inbox inbox, SagaEventPublisher publisher,
                               PlatformTransactionManager transactionManager) {
        this.payments = payments;
        this.inbox = inbox;
        this.publisher = publisher;
        this.tx = new TransactionTemplate(transactionManager);
    }

    @KafkaHandler
    public void on(StockReserved event) {
        tx.executeWithoutResult(status -> {
            if (!inbox.firstDelivery(event.eventId(), CONSUMER)) {
                return;
            }
            PaymentOutcome outcome = payments.authorize(event.orderId(), event.customerId(), event.total());
            publisher.publish(switch (outcome.result()) {
                case AUTHORIZED -> PaymentAuthorized.of(event.orderId(), event.flow(), outcome.amount());
                case DECLINED -> PaymentDeclined.of(event.orderId(), event.flow(), outcome.reason());
                // Refunded before it was authorized: not reachable from this saga's own events (it never refunds);
                // declining keeps the order from waiting forever and releases its stock.
                case ALREADY_REFUNDED -> PaymentDeclined.of(event.orderId(), event.flow(),
                        RejectionReason.TECHNICAL_FAILURE);
            });
        });
    }

    /** StockReservationFailed and StockReleased are order-service's business. */
    @KafkaHandler(isDefault = true)
    public void ignore(Object event) {
    }
}
