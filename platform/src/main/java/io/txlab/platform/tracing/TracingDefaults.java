package io.txlab.platform.tracing;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The tracing and logging defaults of every txlab service, in one place instead of five {@code application.yml}
 * copies. Added as the lowest-precedence property source, so a service's {@code application.yml}, a system property
 * or an environment variable (e.g. {@code MANAGEMENT_TRACING_SAMPLING_PROBABILITY=1.0}) still wins.
 *
 * <ul>
 *   <li>Sampling probability 0, parent-based (Boot's OTel sampler): an order is traced only when the request arrives
 *       with a sampled {@code traceparent} (flag 01) or the probability is raised; an unsampled context is still
 *       propagated, so ids reach the logs, but no span is recorded or exported.</li>
 *   <li>Baggage {@code orderId}: propagated in the W3C {@code baggage} header (HTTP, Kafka, outbox rows, Temporal
 *       headers), put in the MDC, so every log line of an order's work carries it, and tagged on every span started
 *       while it is current ({@link OrderIdSpanTagger}).</li>
 *   <li>Kafka template and listener observations: the producer span and {@code traceparent} in record headers, the
 *       consumer span continuing it.</li>
 *   <li>JDBC spans at connection and query level only (no result-set fetch spans, no parameter values), and only
 *       while spans are exported ({@code txlab.tracing.zipkin.endpoint} set): the JDBC proxy observes every statement
 *       whether or not its trace is sampled, which cost a service ~10 % of its CPU in the comparison's profiles, for
 *       spans that were never recorded. {@code jdbc.datasource-proxy.enabled=true} turns it on regardless.</li>
 *   <li>Logs: text by default with {@code [traceId orderId]} after the thread; {@code txlab.log.format}
 *       ({@code TXLAB_LOG_FORMAT}) {@code json} (= {@code ecs}), {@code ecs}, {@code logstash} or {@code gelf} switches
 *       the console to Boot's structured logging, which writes the MDC (traceId, spanId, orderId) as fields.</li>
 * </ul>
 */
public class TracingDefaults implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE_NAME = "txlabTracingDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("management.tracing.sampling.probability", "0.0");
        defaults.put("management.tracing.baggage.remote-fields", OrderTracing.BAGGAGE);
        defaults.put("management.tracing.baggage.correlation.fields", OrderTracing.BAGGAGE);
        defaults.put("spring.kafka.template.observation-enabled", "true");
        defaults.put("spring.kafka.listener.observation-enabled", "true");
        defaults.put("jdbc.includes", "CONNECTION,QUERY");
        String endpoint = environment.getProperty("txlab.tracing.zipkin.endpoint");
        defaults.put("jdbc.datasource-proxy.enabled", Boolean.toString(endpoint != null && !endpoint.isBlank()));
        defaults.put("jdbc.datasource-proxy.include-parameter-values", "false");
        defaults.put("logging.pattern.correlation", "[%X{traceId:-} %X{orderId:-}] ");
        String structured = structuredFormat(environment.getProperty("txlab.log.format", "text"));
        if (structured != null) {
            defaults.put("logging.structured.format.console", structured);
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }

    /** @return Boot's structured format for {@code txlab.log.format}, or null for plain text */
    static String structuredFormat(String format) {
        String value = format.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "text", "plain" -> null;
            case "json", "ecs" -> "ecs";
            case "logstash", "gelf" -> value;
            default -> throw new IllegalArgumentException(
                    "txlab.log.format must be text, json, ecs, logstash or gelf, got '" + format + "'");
        };
    }

    /** After the config data (application.yml, environment) is loaded, so {@code txlab.log.format} is readable. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
