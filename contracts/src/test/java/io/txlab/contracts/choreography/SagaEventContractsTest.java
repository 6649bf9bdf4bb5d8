package io.txlab.contracts.choreography;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.SagaEvent;
import io.txlab.contracts.SagaEvents;
import io.txlab.contracts.Topics;
import io.txlab.contracts.inventory.StockLine;
import io.txlab.contracts.inventory.StockReleased;
import io.txlab.contracts.inventory.StockReservationFailed;
import io.txlab.contracts.inventory.StockReserved;
import io.txlab.contracts.order.OrderLine;
import io.txlab.contracts.order.OrderPlaced;
import io.txlab.contracts.payment.PaymentAuthorized;
import io.txlab.contracts.payment.PaymentDeclined;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The saga events travel as JSON values with the type in the {@code eventType} header, written by the direct
 * publisher, the outbox writer (relayed by Debezium or the polling relay) alike, with a plain Jackson 3 mapper. The
 * golden samples pin that wire form: each reads back into an equal record and the record writes the sample's JSON.
 */
class SagaEventContractsTest {

    private static final UUID ORDER = UUID.fromString("0b9c4b1e-6a43-4a39-9f4e-2f4f0f6f2a11");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static UUID event(int n) {
        return UUID.fromString("6f1c2a57-3d0e-4b8e-9a51-0c7d5e2b9f0" + n);
    }

    private static Instant at(int millis) {
        return Instant.parse("2026-11-21T10:00:00Z").plusMillis(millis);
    }

    static Stream<Arguments> samples() {
        BigDecimal total = new BigDecimal("25.00");
        return Stream.of(
                Arguments.of("order-placed.json", new OrderPlaced(event(1), ORDER, Flow.CHOREOGRAPHY, "C-0001",
                        List.of(new OrderLine("SKU-0001", 2, new BigDecimal("12.50"))), total, at(10))),
                Arguments.of("stock-reserved.json", new StockReserved(event(2), ORDER, Flow.OUTBOX, "C-0001", total,
                        List.of(new StockLine("SKU-0001", 2)), at(20))),
                Arguments.of("stock-reservation-failed.json", new StockReservationFailed(event(3), ORDER,
                        Flow.CHOREOGRAPHY, RejectionReason.OUT_OF_STOCK, at(20))),
                Arguments.of("payment-authorized.json",
                        new PaymentAuthorized(event(4), ORDER, Flow.CHOREOGRAPHY, total, at(30))),
                Arguments.of("payment-declined.json", new PaymentDeclined(event(5), ORDER, Flow.OUTBOX,
                        RejectionReason.INSUFFICIENT_FUNDS, at(30))),
                Arguments.of("stock-released.json", new StockReleased(event(6), ORDER, Flow.OUTBOX,
                        RejectionReason.INSUFFICIENT_FUNDS, at(40))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleRoundTrips(String sample, SagaEvent expected) throws IOException {
        String json = read(sample);

        Class<? extends SagaEvent> type = SagaEvents.forType(expected.eventType()).orElseThrow();
        SagaEvent decoded = JSON.readValue(json, type);
        String encoded = JSON.writeValueAsString(expected);

        assertThat(decoded).isEqualTo(expected);
        assertThat(normalized(encoded)).isEqualTo(normalized(json));
    }

    @Test
    void eachEventHasItsOwnersTopicAndItsSimpleNameAsType() {
        assertThat(SagaEvents.all()).hasSize(6);
        assertThat(OrderPlaced.of(ORDER, Flow.OUTBOX, "C-1", List.of(), BigDecimal.ONE).topic())
                .isEqualTo(Topics.ORDER_EVENTS);
        assertThat(StockReleased.of(ORDER, Flow.OUTBOX, RejectionReason.INSUFFICIENT_FUNDS).topic())
                .isEqualTo(Topics.INVENTORY_EVENTS);
        PaymentDeclined declined = PaymentDeclined.of(ORDER, Flow.CHOREOGRAPHY, RejectionReason.UNKNOWN_CUSTOMER);
        assertThat(declined.topic()).isEqualTo(Topics.PAYMENT_EVENTS);
        assertThat(declined.eventType()).isEqualTo("PaymentDeclined");
        assertThat(Topics.deadLetter(Topics.PAYMENT_EVENTS)).isEqualTo("payment.events.DLT");
        assertThat(SagaEvents.forType("Nope")).isEmpty();
    }

    private static String read(String sample) throws IOException {
        try (InputStream in = SagaEventContractsTest.class.getResourceAsStream("/samples/choreography/" + sample)) {
            assertThat(in).as(sample).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Structural comparison: numbers as JSON numbers, so 25.00 and 25.0 compare equal as decimals do. */
    private static JsonNode normalized(String json) {
        return JSON.readTree(json);
    }
}
