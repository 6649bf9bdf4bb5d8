/**
 * The {@code outbox} flow's start: {@link io.txlab.order.outbox.OutboxFlow} writes OrderPlaced into the outbox
 * table in the same local transaction as the order row ({@code FlowStart.onPlaced}), so the order exists if and
 * only if its event will be published. The rest of the saga is the same choreography as the {@code choreography}
 * flow (listeners in {@code io.txlab.order.choreography}; each service answers through its outbox because the events
 * carry {@code flow=outbox}). The relay (Debezium embedded or polling, {@code txlab.outbox.relay}) is platform
 * configuration ({@code io.txlab.platform.outbox}), not code in this package.
 */
package io.txlab.order.outbox;
