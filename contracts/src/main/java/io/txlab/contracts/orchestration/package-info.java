/**
 * The contract of flow {@code orchestration}: the Temporal workflow {@code PlaceOrderWorkflow} (hosted by
 * saga-orchestrator, started by order-service) and the activities it calls, each hosted by the service that owns the
 * data on its own task queue ({@link io.txlab.contracts.orchestration.TaskQueues}).
 *
 * <p>Rules every implementation follows:
 * <ul>
 *   <li>Every activity input carries a {@code requestId} derived from the order id ({@code "<orderId>:<step>"}); the
 *       activity must be idempotent for it, because Temporal delivers activities at least once (a retry after an
 *       ambiguous timeout may run a step that already took effect).</li>
 *   <li>Business refusals (out of stock, insufficient funds, ...) are returned as results, never thrown, so they are
 *       never retried and the workflow decides to compensate. Exceptions mean "infrastructure failed, retry".</li>
 *   <li>Compensations ({@code releaseStock}, {@code refundPayment}) and {@code cancelOrder} must succeed for any
 *       order id, including one whose forward step never ran (they leave a tombstone).</li>
 * </ul>
 *
 * <p>The records travel through Temporal's JSON payload converter (Jackson); keep them plain records without
 * {@code get}/{@code is} accessors beyond their components.
 */
package io.txlab.contracts.orchestration;
