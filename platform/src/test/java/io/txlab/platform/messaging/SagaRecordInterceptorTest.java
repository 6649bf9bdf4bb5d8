package io.txlab.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.contracts.Flow;
import io.txlab.contracts.SagaEvent;
import io.txlab.contracts.inventory.StockLine;
import io.txlab.contracts.inventory.StockReserved;
import io.txlab.contracts.payment.PaymentAuthorized;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.handler.annotation.Header;

class SagaRecordInterceptorTest {

    private static final PaymentAuthorized AUTHORIZED =
            PaymentAuthorized.of(UUID.randomUUID(), Flow.CHOREOGRAPHY, new BigDecimal("22.00"));
    private static final StockReserved RESERVED = StockReserved.of(UUID.randomUUID(), Flow.CHOREOGRAPHY, "C-0001",
            new BigDecimal("22.00"), List.of(new StockLine("SKU-0001", 2)));

    /** Like order-service's: one event handled, the rest to a default handler that ignores them. */
    @KafkaListener(id = "handles-one", topics = "t")
    static class HandlesOne {

        @KafkaHandler
        public void on(PaymentAuthorized event, @Header("eventType") String type) {
        }

        @KafkaHandler(isDefault = true)
        public void ignore(Object event) {
        }
    }

    /** A handler for every saga event: nothing is left to the default one. */
    @KafkaListener(id = "handles-all", topics = "t")
    static class HandlesAll {

        @KafkaHandler
        public void on(SagaEvent event) {
        }

        @KafkaHandler(isDefault = true)
        public void ignore(Object event) {
        }
    }

    /** Without a default handler an event nobody handles is Spring Kafka's error to report, not ours to skip. */
    @KafkaListener(id = "no-default", topics = "t")
    static class NoDefault {

        @KafkaHandler
        public void on(PaymentAuthorized event) {
        }
    }

    static class NotAListener {

        @KafkaHandler(isDefault = true)
        public void ignore(Object event) {
        }
    }

    @Test
    void anEventTheListenerHandlesIsPassedOn() {
        ConsumerRecord<Object, Object> record = record(AUTHORIZED);

        assertThat(interceptor(HandlesOne.class).intercept(record, null)).isSameAs(record);
    }

    @Test
    void anEventOnlyTheDefaultHandlerWouldTakeIsSkipped() {
        assertThat(interceptor(HandlesOne.class).intercept(record(RESERVED), null)).isNull();
    }

    @Test
    void aHandlerForASupertypeHandlesEveryEventOfIt() {
        SagaRecordInterceptor interceptor = interceptor(HandlesAll.class);

        assertThat(interceptor.intercept(record(RESERVED), null)).isNotNull();
        assertThat(interceptor.intercept(record(AUTHORIZED), null)).isNotNull();
    }

    @Test
    void nothingIsSkippedForAListenerWithoutADefaultHandlerOrForAClassThatIsNoListener() {
        assertThat(interceptor(NoDefault.class).intercept(record(RESERVED), null)).isNotNull();
        assertThat(interceptor(NotAListener.class).intercept(record(RESERVED), null)).isNotNull();
        assertThat(new SagaRecordInterceptor(Optional::empty).intercept(record(RESERVED), null))
                .isNotNull();
    }

    @Test
    void aRecordWithoutAValueIsADeserializationFailureSoItIsDeadLettered() {
        assertThatThrownBy(() -> interceptor(HandlesOne.class).intercept(record(null), null))
                .isInstanceOf(DeserializationException.class)
                .hasMessageContaining("has no value");
    }

    @Test
    void theListenerIsLookedUpOnceAtTheFirstRecord() {
        AtomicInteger lookups = new AtomicInteger();
        SagaRecordInterceptor interceptor = new SagaRecordInterceptor(() -> {
            lookups.incrementAndGet();
            return HandledSagaEvents.of(HandlesOne.class);
        });
        assertThat(lookups).hasValue(0);

        interceptor.intercept(record(RESERVED), null);
        interceptor.intercept(record(AUTHORIZED), null);

        assertThat(lookups).hasValue(1);
    }

    @Test
    void aContainerFindsItsListenerBeanByTheListenersId() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.registerBean(HandlesOne.class);
            context.registerBean(HandlesAll.class);
            context.refresh();

            assertThat(MessagingAutoConfiguration.handledBy(context, "handles-one"))
                    .hasValueSatisfying(handled -> assertThat(handled.handles(StockReserved.class)).isFalse());
            assertThat(MessagingAutoConfiguration.handledBy(context, "handles-all"))
                    .hasValueSatisfying(handled -> assertThat(handled.handles(StockReserved.class)).isTrue());
            assertThat(MessagingAutoConfiguration.handledBy(context, "someone-else")).isEmpty();
            assertThat(MessagingAutoConfiguration.handledBy(context, null)).isEmpty();
        }
    }

    private static SagaRecordInterceptor interceptor(Class<?> listener) {
        return new SagaRecordInterceptor(() -> HandledSagaEvents.of(listener));
    }

    private static ConsumerRecord<Object, Object> record(Object value) {
        return new ConsumerRecord<>("t", 0, 0L, "key", value);
    }
}
