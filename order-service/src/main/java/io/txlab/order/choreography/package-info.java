/**
 * The order saga as a choreography: no class holds the flow, each service reacts to the others' events. Serves both
 * the {@code choreography} flow (reactions sent to Kafka after the local commit) and the {@code outbox} flow
 * (reactions written to the outbox in the local transaction and relayed by Debezium or the polling relay): every
 * event carries the order's flow and each service answers the same way.
 *
 * <table>
 *   <caption>Who reacts to what (topics: order.events, inventory.events, payment.events; key: order id)</caption>
 *   <tr><th>event</th><th>who reacts</th><th>what it does / emits</th></tr>
 *   <tr><td>OrderPlaced</td><td>inventory</td><td>reserves all lines or none → StockReserved |
 *       StockReservationFailed(reason)</td></tr>
 *   <tr><td>StockReserved</td><td>payment</td><td>authorizes the total → PaymentAuthorized |
 *       PaymentDeclined(reason)</td></tr>
 *   <tr><td>PaymentAuthorized</td><td>order</td><td>confirms the order (CONFIRMED)</td></tr>
 *   <tr><td>PaymentDeclined</td><td>inventory</td><td>compensates: releases the stock → StockReleased(reason)</td></tr>
 *   <tr><td>StockReleased</td><td>order</td><td>cancels (CANCELLED, the payment's reason, e.g. INSUFFICIENT_FUNDS)</td></tr>
 *   <tr><td>StockReservationFailed</td><td>order</td><td>cancels (CANCELLED, e.g. OUT_OF_STOCK); nothing was charged</td></tr>
 * </table>
 *
 * <p>Compensation runs in reverse order: the stock is released before the order is cancelled, so a CANCELLED order
 * never holds stock. Here: {@link io.txlab.order.choreography.ChoreographyFlow} publishes OrderPlaced for the
 * {@code choreography} flow after the order row committed (the outbox flow writes it in the placing transaction, see
 * {@code io.txlab.order.outbox}); {@link io.txlab.order.choreography.OrderChoreography} confirms or cancels. Every
 * reaction is applied once per event id (inbox, same transaction).
 */
package io.txlab.order.choreography;
