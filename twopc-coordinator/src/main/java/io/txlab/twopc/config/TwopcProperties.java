package io.txlab.twopc.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Coordinator settings ({@code txlab.twopc.*}).
 *
 * @param prepareTimeout   a transaction still BEGUN (no decision) this long after it started is decided ABORT by
 *                         recovery and rolled back everywhere; also the bound on collecting votes
 * @param recoveryInterval how often recovery looks for unfinished transactions
 * @param phaseTwoGrace    recovery leaves a freshly decided transaction to the request thread for this long
 * @param phaseTwoAttempts in-line attempts per participant of COMMIT/ROLLBACK before leaving it to recovery
 * @param phaseTwoBackoff  first delay between in-line attempts (doubles), and recovery's base backoff unit
 * @param maxBackoff       cap of recovery's exponential backoff per transaction
 * @param allowedParticipants the base URLs the coordinator may call as participants; any other is refused (400)
 *                         before anything is logged or sent, so the coordinator cannot be made to POST elsewhere.
 *                         Empty: no transaction can run
 * @param http             participant HTTP client timeouts
 * @param monitor          the postgres_fdw in-doubt monitor
 */
@ConfigurationProperties("txlab.twopc")
public record TwopcProperties(
        @DefaultValue("10s") Duration prepareTimeout,
        @DefaultValue("2s") Duration recoveryInterval,
        @DefaultValue("2s") Duration phaseTwoGrace,
        @DefaultValue("3") int phaseTwoAttempts,
        @DefaultValue("50ms") Duration phaseTwoBackoff,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue List<String> allowedParticipants,
        @DefaultValue Http http,
        @DefaultValue Monitor monitor) {

    /** Whether {@code baseUrl} is one of {@link #allowedParticipants} (a trailing slash ignored). */
    public boolean allowsParticipant(String baseUrl) {
        String wanted = withoutTrailingSlash(baseUrl);
        return allowedParticipants.stream().anyMatch(allowed -> withoutTrailingSlash(allowed).equals(wanted));
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * @param connectTimeout TCP connect bound (loopback/cluster network: short)
     * @param readTimeout    bound on one participant call; keep it above the participants' lock timeout
     */
    public record Http(@DefaultValue("500ms") Duration connectTimeout, @DefaultValue("3s") Duration readTimeout) {
    }

    /**
     * @param enabled         create the fdw servers at startup and serve {@code /twopc/in-doubt}
     * @param refreshInterval how often the gauges' snapshot is refreshed
     * @param participants    the participant databases to read {@code pg_prepared_xacts}/{@code pg_locks} from
     */
    public record Monitor(@DefaultValue("true") boolean enabled, @DefaultValue("5s") Duration refreshInterval,
                          @DefaultValue List<ParticipantDatabase> participants) {
    }

    /** @param name {@code [a-z][a-z0-9_]{0,29}}: used in fdw server and foreign table names */
    public record ParticipantDatabase(String name, @DefaultValue("127.0.0.1") String host, int port, String dbname,
                                      @DefaultValue("txlab") String user, @DefaultValue("txlab") String password) {
    }
}
