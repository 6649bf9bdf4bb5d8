package io.txlab.twopc.monitor;

import java.time.Instant;
import java.util.List;

/**
 * Body of {@code GET /twopc/in-doubt}.
 *
 * @param available   false when postgres_fdw is missing or the monitor is disabled
 * @param unreachable participants whose database could not be read this time
 */
public record InDoubtReport(Instant at, boolean available, List<InDoubtTransaction> transactions,
                            List<String> unreachable) {
}
