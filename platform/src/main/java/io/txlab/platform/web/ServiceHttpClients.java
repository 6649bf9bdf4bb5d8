package io.txlab.platform.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.util.TimeValue;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * The request factory under every service-to-service {@code RestClient}: Apache HttpClient 5, blocking, with a
 * connection pool per client (adr/0016).
 *
 * <p>Why not the JDK's {@code HttpClient}: Spring's {@code JdkClientHttpRequestFactory} writes each request body on a
 * new thread ({@code SimpleAsyncTaskExecutor}) and the JDK client hands every exchange between its selector thread
 * and the caller through a chain of {@code CompletableFuture}s. Profiled at 20 orders/s, that made the JDK client
 * the largest single cost of the 2PC coordinator, which sends six requests per order. A blocking client on the
 * caller's thread does the same exchange with a socket write and a read.
 *
 * <p>No automatic retries: which calls may be repeated is each flow's decision (the coordinator retries phase two on
 * its own schedule, and a repeated prepare must be its decision too). Pooled connections idle for over a second are
 * checked before reuse, so a connection the server closed meanwhile is replaced, not failed on.
 */
public final class ServiceHttpClients {

    /** Connections kept per target; more concurrent calls than this wait for one (bounded by the timeouts). */
    static final int MAX_CONNECTIONS_PER_TARGET = 64;

    private ServiceHttpClients() {
    }

    /**
     * @param connectTimeout how long to wait for a TCP connection
     * @param readTimeout    how long to wait for the response (and between its bytes)
     */
    public static ClientHttpRequestFactory requestFactory(Duration connectTimeout, Duration readTimeout) {
        return ClientHttpRequestFactoryBuilder.httpComponents()
                .withHttpClientCustomizer(client -> client
                        .disableAutomaticRetries()
                        .evictIdleConnections(TimeValue.of(30, TimeUnit.SECONDS)))
                .withConnectionManagerCustomizer(pool -> pool
                        .setMaxConnPerRoute(MAX_CONNECTIONS_PER_TARGET)
                        .setMaxConnTotal(4 * MAX_CONNECTIONS_PER_TARGET))
                .withConnectionConfigCustomizer(connection -> connection
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1)))
                .build(HttpClientSettings.defaults().withTimeouts(connectTimeout, readTimeout));
    }
}
