package io.txlab.systemtests.choreography;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.contracts.Topics;
import io.txlab.devstack.Topology;
import io.txlab.devstack.links.Fault;
import io.txlab.systemtests.support.FlowScenarios;
import io.txlab.systemtests.support.Orders;
import io.txlab.systemtests.support.SystemStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * What the two event-driven flows ({@code choreography}, {@code outbox}) pass on the full stack besides every flow's
 * scenarios ({@link FlowScenarios}): the same event delivered twice → one effect, a poison message → dead letter while
 * later orders still complete, a participant database killed or partitioned while events flow → its events wait for
 * it (never dead-lettered) and the orders finish once it is back. Where the participants record each step, the hooks
 * check it: a confirmed order holds one reservation and one authorization, a declined one released its stock first.
 */
public abstract class EventDrivenFlowScenarios extends FlowScenarios {

    protected static final Duration FINAL = Duration.ofSeconds(60);

    @Override
    protected Duration finalWithin() {
        return FINAL;
    }

    @Override
    protected void afterConfirmed(UUID order) {
        assertThat(inventory("SELECT count(*) FROM reservation WHERE order_id = ? AND status = 'RESERVED'", order))
                .isEqualTo(1);
        assertThat(payment("SELECT count(*) FROM payment WHERE order_id = ? AND status = 'AUTHORIZED'", order))
                .isEqualTo(1);
    }

    /** Reverse order: the order is cancelled only after the stock is back. */
    @Override
    protected void afterDeclined(UUID order) {
        assertThat(inventory("SELECT count(*) FROM reservation WHERE order_id = ? AND status = 'RELEASED'", order))
                .isEqualTo(1);
        assertThat(payment("SELECT count(*) FROM payment WHERE order_id = ? AND status = 'DECLINED'", order))
                .isEqualTo(1);
    }

    @Override
    protected void afterOutOfStock(UUID order) {
        assertThat(payment("SELECT count(*) FROM payment WHERE order_id = ?", order)).isZero();
    }

    @Test
    void theSameEventDeliveredTwiceHasOneEffect() {
        String sku = randomSku();
        UUID order = place(Orders.RICH, List.of(Orders.line(sku, 2)));
        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asText()).isEqualTo("CONFIRMED");
        long stock = stock(sku);
        long balance = payment("SELECT (balance * 100)::bigint FROM account WHERE customer_id = ?", Orders.RICH);

        // Re-deliver the real OrderPlaced and StockReserved (same eventId, value and headers), as a redelivery would.
        for (String topic : List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS)) {
            ConsumerRecord<String, byte[]> original = read(topic, order.toString(), 1).get(0);
            RecordMetadata duplicate = produce(topic, original.key(), original.value(), header(original));
            String group = topic.equals(Topics.ORDER_EVENTS) ? "inventory-service" : "payment-service";
            awaitConsumed(group, duplicate);
        }

        // The topics now hold the original and the injected copy (same bytes), and no reaction to the copy.
        assertThat(read(Topics.INVENTORY_EVENTS, order.toString(), 2).stream().map(r -> new String(r.value(),
                StandardCharsets.UTF_8)).distinct()).as("no second StockReserved").hasSize(1);
        assertThat(read(Topics.PAYMENT_EVENTS, order.toString(), 1)).as("no second PaymentAuthorized").hasSize(1);
        assertThat(stock(sku)).isEqualTo(stock);
        assertThat(payment("SELECT (balance * 100)::bigint FROM account WHERE customer_id = ?", Orders.RICH))
                .isEqualTo(balance);
    }

    @Test
    void anEventAServiceOnlyIgnoresIsConsumedPastLikeTheOthers() {
        UUID order = place(Orders.RICH, Orders.happy());
        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asText()).isEqualTo("CONFIRMED");

        // order-service has no handler for StockReserved, inventory-service none for PaymentAuthorized: their
        // containers skip them before the listener (adr/0049), and must still commit past them.
        ConsumerRecord<String, byte[]> reserved = read(Topics.INVENTORY_EVENTS, order.toString(), 1).get(0);
        ConsumerRecord<String, byte[]> authorized = read(Topics.PAYMENT_EVENTS, order.toString(), 1).get(0);
        assertThat(new String(reserved.headers().lastHeader(Topics.EVENT_TYPE_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("StockReserved");
        assertThat(new String(authorized.headers().lastHeader(Topics.EVENT_TYPE_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("PaymentAuthorized");
        awaitConsumed("order-service", new RecordMetadata(new TopicPartition(reserved.topic(), reserved.partition()),
                reserved.offset(), 0, 0, 0, 0));
        awaitConsumed("inventory-service", new RecordMetadata(new TopicPartition(authorized.topic(),
                authorized.partition()), authorized.offset(), 0, 0, 0, 0));
    }

    @Test
    void aPoisonMessageIsDeadLetteredAndLaterOrdersStillComplete() {
        String key = "poison-" + UUID.randomUUID();
        produce(Topics.ORDER_EVENTS, key, "{not json".getBytes(StandardCharsets.UTF_8), "OrderPlaced");
        List<ConsumerRecord<String, byte[]>> dead = read(Topics.deadLetter(Topics.ORDER_EVENTS), key, 1);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(dead.get(0).headers().lastHeader("kafka_dlt-exception-message")).isNotNull();

        UUID order = place(Orders.RICH, Orders.happy());
        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asText()).isEqualTo("CONFIRMED");
    }

    @Test
    void recordsWithoutAnEventTypeOrValueOrWithAnUnknownTypeOrAHugeValueAreDeadLettered() {
        String prefix = "poison-" + UUID.randomUUID() + "-";
        byte[] valid = ("{\"eventId\":\"" + UUID.randomUUID() + "\",\"orderId\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        produce(Topics.ORDER_EVENTS, prefix + "no-type", valid, null);
        produce(Topics.ORDER_EVENTS, prefix + "unknown-type", valid, "OrderTeleported");
        produce(Topics.ORDER_EVENTS, prefix + "no-value", null, "OrderPlaced");
        byte[] huge = ("{\"padding\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        produce(Topics.ORDER_EVENTS, prefix + "huge", huge, "OrderPlaced");

        for (String kind : List.of("no-type", "unknown-type", "no-value", "huge")) {
            List<ConsumerRecord<String, byte[]>> dead = read(Topics.deadLetter(Topics.ORDER_EVENTS), prefix + kind, 1);
            assertThat(dead.get(0).headers().lastHeader("kafka_dlt-exception-message")).as(kind).isNotNull();
        }
        UUID order = place(Orders.RICH, Orders.happy());
        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asText()).isEqualTo("CONFIRMED");
    }

    @ParameterizedTest(name = "{0} killed")
    @ValueSource(strings = {Topology.POSTGRES_PAYMENT, Topology.POSTGRES_INVENTORY})
    void eventsMeetingADeadDatabaseWaitForItAndTheirOrdersFinishOnceItIsBack(String database)
            throws InterruptedException {
        // Longer than the bounded redeliveries after which such events used to be dead letters: 4 attempts, each
        // waiting up to the 5 s connection timeout of the service's pool, ~21 s in all.
        ordersOutlastAFault(() -> stack.kill(database), () -> stack.restart(database));
    }

    @ParameterizedTest(name = "{0} partitioned from its database")
    @ValueSource(strings = {Topology.PAYMENT_SERVICE, Topology.INVENTORY_SERVICE})
    void eventsMeetingAPartitionedDatabaseWaitForItAndTheirOrdersFinishOnceItHeals(String service)
            throws InterruptedException {
        String database = Topology.PAYMENT_SERVICE.equals(service) ? Topology.POSTGRES_PAYMENT : Topology.POSTGRES_INVENTORY;
        // Packets dropped, not refused: queries in flight hang, new connections never answer. Unlike a dead
        // database nothing fails fast; the service's pool timeouts turn the silence into retryable errors.
        ordersOutlastAFault(() -> stack.fault(service, database, Fault.partition()),
                () -> stack.fault(service, database, Fault.NONE));
    }

    /** adr/0038: order-service's deadline sweep cancels the order, then refunds and releases it over HTTP. */
    @Test
    void anOrderWhosePaymentStepHangsIsCancelledAtItsDeadlineAndCompensated() {
        aStepHangingBehindTheLinkIsCancelledAtTheOrdersDeadline(Topology.PAYMENT_SERVICE, Topology.KAFKA);
    }

    /**
     * An order stuck because payment-service cannot reach the broker: an operator compensates it from order-service's
     * admin API (adr/0037). Stock and money are back at once, and when the partition heals, payment-service's late
     * step meets the refund's tombstone and changes nothing: the order stays cancelled, nothing is dead-lettered.
     */
    @Test
    void anOperatorCompensatesAStuckOrderAndItsLateStepsChangeNothing() throws Exception {
        String sku = randomSku();
        UUID warm = place(Orders.RICH, List.of(Orders.line(sku, 1)));
        assertThat(stack.orders().awaitFinal(warm, FINAL).get("status").asText()).isEqualTo("CONFIRMED");
        long stock = stock(sku);
        long balance = balanceCents(Orders.RICH);

        UUID order;
        stack.fault(Topology.PAYMENT_SERVICE, Topology.KAFKA, Fault.partition());
        try {
            order = place(Orders.RICH, List.of(Orders.line(sku, 2)));
            UUID stuck = order;
            await("stock reserved for " + order, () -> inventory(
                    "SELECT count(*) FROM reservation WHERE order_id = ? AND status = 'RESERVED'", stuck) == 1);
            assertThat(stock(sku)).isEqualTo(stock - 2);

            java.net.http.HttpResponse<String> compensated = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                    stack.url(Topology.ORDER_SERVICE) + "/admin/orders/" + order + "/compensate"))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"operator\":\"system-test\",\"reason\":\"payment-service cut off from the broker\"}"))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(compensated.statusCode()).as(compensated.body()).isEqualTo(201);

            JsonNode cancelled = stack.orders().awaitFinal(order, FINAL);
            assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
            assertThat(cancelled.get("reason").asText()).isEqualTo("OPERATOR_COMPENSATED");
            assertThat(inventory("SELECT count(*) FROM reservation WHERE order_id = ? AND status = 'RELEASED'", order))
                    .isEqualTo(1);
            assertThat(payment("SELECT count(*) FROM payment WHERE order_id = ? AND status = 'REFUNDED'", order))
                    .isEqualTo(1);
            assertThat(stock(sku)).isEqualTo(stock);
        } finally {
            stack.fault(Topology.PAYMENT_SERVICE, Topology.KAFKA, Fault.NONE);
        }

        // payment-service now takes the StockReserved it missed: the tombstone refuses the charge
        ConsumerRecord<String, byte[]> reserved = read(Topics.INVENTORY_EVENTS, order.toString(), 1).get(0);
        awaitConsumed("payment-service", new RecordMetadata(new TopicPartition(reserved.topic(), reserved.partition()),
                reserved.offset(), 0, reserved.timestamp(), reserved.serializedKeySize(), reserved.serializedValueSize()));
        assertThat(stack.orders().get(order).orderStatus()).isEqualTo("CANCELLED");
        assertThat(payment("SELECT count(*) FROM payment WHERE order_id = ? AND status = 'REFUNDED'", order))
                .isEqualTo(1);
        assertThat(stock(sku)).isEqualTo(stock);
        assertThat(balanceCents(Orders.RICH)).isEqualTo(balance);
        for (String topic : List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS)) {
            assertThat(keysOn(Topics.deadLetter(topic))).as("dead letters on %s", topic).doesNotContain(order.toString());
        }
    }

    /**
     * Three orders placed while the fault lasts stay PENDING for 25 s, then each ends CONFIRMED exactly once after
     * the fault is undone, and none of their events is a dead letter.
     */
    private void ordersOutlastAFault(Runnable inject, Runnable undo) throws InterruptedException {
        String sku = randomSku();
        // Warms order-service's catalogue for this customer and SKU: it asks the services the fault hits next.
        UUID warm = place(Orders.RICH, List.of(Orders.line(sku, 1)));
        assertThat(stack.orders().awaitFinal(warm, FINAL).get("status").asText()).isEqualTo("CONFIRMED");
        List<UUID> orders = new ArrayList<>();
        inject.run();
        try {
            for (int i = 0; i < 3; i++) {
                orders.add(place(Orders.RICH, List.of(Orders.line(sku, 1))));
            }
            Thread.sleep(25_000);
            for (UUID order : orders) {
                assertThat(stack.orders().get(order).orderStatus()).isEqualTo("PENDING");
            }
        } finally {
            undo.run();
        }
        orders.forEach(this::assertConfirmedOnce);
        List<String> ids = orders.stream().map(UUID::toString).toList();
        for (String topic : List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS)) {
            assertThat(keysOn(Topics.deadLetter(topic))).as("dead letters on %s", topic).doesNotContainAnyElementsOf(ids);
        }
    }

    // ---- helpers ----

    /** The order ends CONFIRMED with exactly one reservation held and one payment authorized. */
    protected void assertConfirmedOnce(UUID order) {
        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(inventory("SELECT count(*) FROM reservation WHERE order_id = ? AND status = 'RESERVED'", order))
                .isEqualTo(1);
        assertThat(payment("SELECT count(*) FROM payment WHERE order_id = ? AND status = 'AUTHORIZED'", order))
                .isEqualTo(1);
    }

    /** Every key on {@code topic} from its beginning to its current end. */
    protected List<String> keysOn(String topic) {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = atBeginning(topic)) {
            List<TopicPartition> partitions = List.copyOf(consumer.assignment());
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> keys.add(r.key()));
            }
        }
        return keys;
    }

    protected long inventory(String sql, Object... params) {
        return stack.queryLong(Topology.POSTGRES_INVENTORY, "inventory", sql, params);
    }

    protected long payment(String sql, Object... params) {
        return stack.queryLong(Topology.POSTGRES_PAYMENT, "payment", sql, params);
    }

    protected static String header(ConsumerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(Topics.EVENT_TYPE_HEADER).value(), StandardCharsets.UTF_8);
    }

    protected RecordMetadata produce(String topic, String key, byte[] value, String eventType) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.topology().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
            if (eventType != null) {
                record.headers().add(Topics.EVENT_TYPE_HEADER, eventType.getBytes(StandardCharsets.UTF_8));
            }
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + topic, e);
        }
    }

    /** Waits until at least {@code atLeast} records with {@code key} are on {@code topic}; returns all seen then. */
    protected List<ConsumerRecord<String, byte[]>> read(String topic, String key, int atLeast) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = atBeginning(topic)) {
            List<TopicPartition> partitions = List.copyOf(consumer.assignment());
            Instant deadline = Instant.now().plus(FINAL);
            while (true) {
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        if (key.equals(r.key())) {
                            found.add(r);
                        }
                    }
                }
                if (found.size() >= atLeast || Instant.now().isAfter(deadline)) {
                    break;
                }
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
            }
        }
        assertThat(found).as("records with key %s on %s", key, topic).hasSizeGreaterThanOrEqualTo(atLeast);
        return found;
    }

    /** A consumer assigned every partition of {@code topic}, positioned at the beginning. */
    private KafkaConsumer<String, byte[]> atBeginning(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.topology().bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Waits until consumer group {@code group} has committed past {@code record}. */
    protected void awaitConsumed(String group, RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.topology().bootstrapServers()))) {
            await("group " + group + " consumed " + record, () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get();
                    return Optional.ofNullable(offsets.get(partition)).map(o -> o.offset() > record.offset())
                            .orElse(false);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    protected static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(FINAL);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + FINAL + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
