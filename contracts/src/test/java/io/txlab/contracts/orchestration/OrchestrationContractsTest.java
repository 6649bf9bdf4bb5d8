package io.txlab.contracts.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.inventory.StockLine;
import io.txlab.contracts.order.OrderLine;
import io.txlab.contracts.orchestration.SagaState.StepRecord;
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
 * The orchestration records cross process boundaries through Temporal's default payload converter, so the golden
 * samples are checked against that converter (not Spring's JSON mapper): the sample reads back into an equal record,
 * and the record writes the sample's JSON.
 */
class OrchestrationContractsTest {

    private static final UUID ORDER = UUID.fromString("0b9c4b1e-6a43-4a39-9f4e-2f4f0f6f2a11");
    private static final DataConverter TEMPORAL = DefaultDataConverter.newDefaultInstance();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("place-order-workflow-input.json", new PlaceOrderWorkflowInput(ORDER, "C-0001",
                        List.of(new OrderLine("SKU-0001", 2, new BigDecimal("12.50"))), new BigDecimal("25.00"))),
                Arguments.of("place-order-workflow-input-with-deadline.json", new PlaceOrderWorkflowInput(ORDER,
                        "C-0001", List.of(new OrderLine("SKU-0001", 2, new BigDecimal("12.50"))),
                        new BigDecimal("25.00"), Instant.parse("2026-12-05T10:00:02.500Z"))),
                Arguments.of("reserve-stock.json",
                        ReserveStock.forOrder(ORDER, List.of(new StockLine("SKU-0001", 2)))),
                Arguments.of("stock-reservation-result-rejected.json",
                        StockReservationResult.rejected(RejectionReason.OUT_OF_STOCK)),
                Arguments.of("stock-reservation-result-reserved.json", StockReservationResult.reserved()),
                Arguments.of("stock-reservation-result-pending.json", StockReservationResult.reservedPending()),
                Arguments.of("release-stock.json", ReleaseStock.forOrder(ORDER)),
                Arguments.of("settle-reservation.json", SettleReservation.forOrder(ORDER)),
                Arguments.of("authorize-payment.json",
                        AuthorizePayment.forOrder(ORDER, "C-0001", new BigDecimal("25.00"))),
                Arguments.of("payment-authorization-result-declined.json",
                        PaymentAuthorizationResult.declined(RejectionReason.INSUFFICIENT_FUNDS)),
                Arguments.of("refund-payment.json", RefundPayment.forOrder(ORDER)),
                Arguments.of("confirm-order.json", ConfirmOrder.forOrder(ORDER)),
                Arguments.of("cancel-order.json", CancelOrder.forOrder(ORDER, RejectionReason.INSUFFICIENT_FUNDS)),
                Arguments.of("place-order-result-cancelled.json",
                        PlaceOrderResult.cancelled(ORDER, RejectionReason.INSUFFICIENT_FUNDS)),
                Arguments.of("saga-state.json", new SagaState(ORDER, SagaStep.FINISHED,
                        List.of(new StepRecord(SagaStep.RESERVE_STOCK, Instant.parse("2026-11-21T10:00:00.010Z")),
                                new StepRecord(SagaStep.CANCEL_ORDER, Instant.parse("2026-11-21T10:00:00.050Z"))),
                        List.of(new StepRecord(SagaStep.RELEASE_STOCK, Instant.parse("2026-11-21T10:00:00.040Z"))),
                        false, null, PlaceOrderResult.cancelled(ORDER, RejectionReason.INSUFFICIENT_FUNDS))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleRoundTripsThroughTemporalsPayloadConverter(String sample, Object expected) throws IOException {
        String json = read(sample);
        Payload payload = Payload.newBuilder()
                .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
                .setData(com.google.protobuf.ByteString.copyFromUtf8(json))
                .build();

        Object decoded = TEMPORAL.fromPayload(payload, expected.getClass(), expected.getClass());
        String encoded = TEMPORAL.toPayload(expected).orElseThrow().getData().toStringUtf8();

        assertThat(decoded).isEqualTo(expected);
        assertThat(normalized(encoded)).isEqualTo(normalized(json));
    }

    @Test
    void idempotencyKeysAreDerivedFromTheOrderIdOnePerStep() {
        assertThat(List.of(
                ReserveStock.forOrder(ORDER, List.of()).requestId(),
                ReleaseStock.forOrder(ORDER).requestId(),
                SettleReservation.forOrder(ORDER).requestId(),
                AuthorizePayment.forOrder(ORDER, "C-0001", BigDecimal.ONE).requestId(),
                RefundPayment.forOrder(ORDER).requestId(),
                ConfirmOrder.forOrder(ORDER).requestId(),
                CancelOrder.forOrder(ORDER, RejectionReason.OUT_OF_STOCK).requestId()))
                .containsExactly(ORDER + ":reserve", ORDER + ":release", ORDER + ":settle", ORDER + ":authorize", ORDER + ":refund",
                        ORDER + ":confirm", ORDER + ":cancel");
        assertThat(Workflows.placeOrderWorkflowId(ORDER)).isEqualTo(ORDER.toString());
    }

    @Test
    void aRefusalAlwaysCarriesAReasonAndASuccessNever() {
        assertThatThrownBy(() -> new StockReservationResult(StockReservationResult.Status.REJECTED, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StockReservationResult(StockReservationResult.Status.REJECTED,
                RejectionReason.OUT_OF_STOCK, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PaymentAuthorizationResult(PaymentAuthorizationResult.Status.AUTHORIZED,
                RejectionReason.INSUFFICIENT_FUNDS)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String read(String sample) throws IOException {
        try (InputStream in = OrchestrationContractsTest.class.getResourceAsStream("/samples/orchestration/" + sample)) {
            assertThat(in).as(sample).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Structural comparison; decimals read as doubles so that 25.00 and 25.0 compare equal. */
    private static JsonNode normalized(String json) {
        return JSON.readTree(json);
    }
}
