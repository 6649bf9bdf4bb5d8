/**
 * payment-service's part of the order choreography ({@code choreography} and {@code outbox} flows; the reaction is
 * published the way the incoming event's flow says: after commit, or through the outbox in the same transaction).
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
 * <p>Here: {@link io.txlab.payment.choreography.PaymentChoreography} reacts to StockReserved (authorize the total
 * for the customer, both carried by the event). Payment is the last step that can fail, so it never needs a refund
 * in this saga. Each reaction runs in one local transaction with its inbox record and its outbox row (outbox flow).
 */
package io.txlab.payment.choreography;
