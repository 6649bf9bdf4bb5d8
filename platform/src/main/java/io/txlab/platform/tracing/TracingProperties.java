package io.txlab.platform.tracing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where spans go. Sampling and baggage use Boot's {@code management.tracing.*} properties (defaults in
 * {@link TracingDefaults}).
 *
 * @param zipkin        Zipkin export; off unless {@code txlab.tracing.zipkin.endpoint}
 *                      ({@code TXLAB_TRACING_ZIPKIN_ENDPOINT}, e.g. {@code http://127.0.0.1:9411/api/v2/spans}) is set
 * @param traceIdHeader whether responses carry {@code X-Trace-Id} (the current 32-hex trace id)
 */
@ConfigurationProperties("txlab.tracing")
public record TracingProperties(@DefaultValue Zipkin zipkin, @DefaultValue("true") boolean traceIdHeader) {

    /**
     * @param endpoint       Zipkin's span intake, {@code http://host:9411/api/v2/spans}
     * @param connectTimeout connecting to Zipkin; spans are sent in the background, a slow Zipkin only drops spans
     * @param readTimeout    waiting for Zipkin's answer
     */
    public record Zipkin(String endpoint, @DefaultValue("1s") Duration connectTimeout,
                         @DefaultValue("5s") Duration readTimeout) {
    }
}
