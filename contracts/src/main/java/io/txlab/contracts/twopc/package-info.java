/**
 * The HTTP protocol between the two-phase-commit coordinator ({@code twopc-coordinator}) and its participants
 * (the {@code twopc/} packages of the services). All bodies are JSON.
 *
 * <h2>Coordinator API</h2>
 * <ul>
 *   <li>{@code POST /transactions} body {@link io.txlab.contracts.twopc.PrepareRequest} &rarr;
 *       200 {@link io.txlab.contracts.twopc.TransactionOutcome}. Runs both phases synchronously; phase two may be
 *       left to recovery ({@code completed=false}) when a participant is unreachable after the decision.</li>
 *   <li>{@code GET /transactions/{gid}} &rarr; 200 {@link io.txlab.contracts.twopc.Decision}. Presumed abort: a gid the
 *       coordinator never logged is {@code ABORT}; a transaction still collecting votes is {@code PENDING}.</li>
 * </ul>
 *
 * <h2>Participant endpoints (called by the coordinator)</h2>
 * <ul>
 *   <li>{@code POST {baseUrl}/twopc/{gid}/prepare} body = the participant's {@code operation} JSON &rarr; 200
 *       {@link io.txlab.contracts.twopc.Vote}. YES means the local transaction is now {@code PREPARE}d under the gid and
 *       survives a crash of the participant process or of its PostgreSQL; NO means it was rolled back. Any non-2xx
 *       answer or a timeout counts as NO. Repeating a prepare whose gid is already prepared answers YES without
 *       running the work again.</li>
 *   <li>{@code POST {baseUrl}/twopc/{gid}/commit} and {@code POST {baseUrl}/twopc/{gid}/rollback} &rarr; 200
 *       {@link io.txlab.contracts.twopc.Resolution}. Both are idempotent: a gid no longer prepared answers
 *       {@code ALREADY_RESOLVED}, unless the participant recorded the opposite outcome for it, which answers
 *       {@code RESOLVED_OTHERWISE} (a heuristic outcome the coordinator never counts as an acknowledgement).</li>
 * </ul>
 */
package io.txlab.contracts.twopc;
