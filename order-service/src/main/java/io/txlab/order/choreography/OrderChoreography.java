package io.txlab.order.choreography;

import io.txlab.contracts.Flow;
import io.txlab.contracts.SagaEvent;
import io.txlab.contracts.Topics;
import io.txlab.contracts.inventory.StockReleased;
import io.txlab.contracts.inventory.StockReservationFailed;
import io.txlab.contracts.payment.PaymentAuthorized;
import io.txlab.order.order.OrderService;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.messaging.Inbox;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * order-service's reactions: PaymentAuthorized → confirm; StockReleased (after a declined payment) and
 * StockReservationFailed → cancel with the event's reason. Each is applied in one local transaction together with
 * the inbox record, so a redelivered event changes nothing. Other events on these topics are not for order-service.
 */
@Component
@ConditionalOnFlow({Flow.CHOREOGRAPHY, Flow.OUTBOX})
@KafkaListener(id = "order-choreography", groupId = OrderChoreography.CONSUMER,
        topics = {Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS},
        concurrency = "${txlab.choreography.concurrency:3}")
public class OrderChoreography {

    /** The consumer group and the inbox's consumer name. */
    static final String CONSUMER = "order-service";

    private final OrderService orders;
    private final Inbox inbox;
    private final TransactionTemplate tx;

    public OrderChoreography(OrderService orders, Inbox inbox, PlatformTransactionManager transactionManager) {
        this.orders = orders;
        this.inbox = inbox;
        this.tx = new TransactionTemplate(transactionManager);
    }

    @KafkaHandler
    public void on(PaymentAuthorized event) {
        once(event, () -> orders.confirm(event.orderId()));
    }

    @KafkaHandler
    public void on(StockReleased event) {
        once(event, () -> orders.cancel(event.orderId(), event.reason().name()));
    }

    @KafkaHandler
    public void on(StockReservationFailed event) {
        once(event, () -> orders.cancel(event.orderId(), event.reason().name()));
    }

    /** StockReserved and PaymentDeclined are for inventory and payment. */
    @KafkaHandler(isDefault = true)
    public void ignore(Object event) {
    }

    private void once(SagaEvent event, Runnable effect) {
        tx.executeWithoutResult(status -> {
            if (inbox.firstDelivery(event.eventId(), CONSUMER)) {
                effect.run();
            }
        });
    }
}
