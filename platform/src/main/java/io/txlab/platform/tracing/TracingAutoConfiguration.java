package io.txlab.platform.tracing;

import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * The shared tracing wiring of every txlab service, on top of Boot's Micrometer Tracing with the OpenTelemetry
 * bridge (defaults in {@link TracingDefaults}):
 * <ul>
 *   <li>a Zipkin span exporter when {@code txlab.tracing.zipkin.endpoint} is set (Boot 4 exports to Zipkin only
 *       through its Brave-based module; the OTel SDK's own exporter is picked up by Boot's batch span processor);</li>
 *   <li>{@link OrderTracing} (order id baggage and span tags), {@link OrderIdSpanTagger} (the order id on every
 *       span) and {@link OutboxTraceContext} (context through the outbox table);</li>
 *   <li>an observation predicate keeping background noise out of the traces: JDBC observations only inside a
 *       sampled span (a request, a consumed record, an activity), never for pollers and sweeps, and no spans for
 *       {@code /actuator} requests (health probes, Prometheus scrapes);</li>
 *   <li>the {@code X-Trace-Id} response header.</li>
 * </ul>
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration"})
@EnableConfigurationProperties(TracingProperties.class)
public class TracingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OrderTracing orderTracing(ObjectProvider<Tracer> tracer) {
        return new OrderTracing(tracer.getIfAvailable(() -> Tracer.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxTraceContext outboxTraceContext(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
                                          ObjectProvider<ObservationRegistry> observations) {
        return new OutboxTraceContext(tracer.getIfAvailable(() -> Tracer.NOOP),
                propagator.getIfAvailable(() -> Propagator.NOOP),
                observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean
    @ConditionalOnClass(SpanProcessor.class)
    @ConditionalOnMissingBean
    OrderIdSpanTagger orderIdSpanTagger() {
        return new OrderIdSpanTagger();
    }

    /**
     * Background JDBC work and actuator traffic would otherwise start root traces of their own; JDBC work of an
     * unsampled request would only cost time (with the default probability 0 that is every request).
     */
    @Bean
    ObservationPredicate txlabTraceNoiseFilter(ObjectProvider<Tracer> tracer) {
        return (name, context) -> {
            if (name.startsWith("jdbc.")) {
                Tracer current = tracer.getIfAvailable();
                Span span = current == null ? null : current.currentSpan();
                return span != null && Boolean.TRUE.equals(span.context().sampled());
            }
            if (context instanceof ServerRequestObservationContext server) {
                return !server.getCarrier().getRequestURI().startsWith("/actuator");
            }
            return true;
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ZipkinSpanExporter.class)
    @ConditionalOnProperty(prefix = "txlab.tracing.zipkin", name = "endpoint")
    static class ZipkinExport {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        ZipkinSpanExporter txlabZipkinSpanExporter(TracingProperties properties) {
            TracingProperties.Zipkin zipkin = properties.zipkin();
            URLConnectionSender sender = URLConnectionSender.newBuilder()
                    .endpoint(zipkin.endpoint())
                    .connectTimeout((int) zipkin.connectTimeout().toMillis())
                    .readTimeout((int) zipkin.readTimeout().toMillis())
                    .build();
            return ZipkinSpanExporter.builder().setSender(sender).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnProperty(prefix = "txlab.tracing", name = "trace-id-header", havingValue = "true",
            matchIfMissing = true)
    static class TraceIdHeader {

        /** After Boot's server observation filter (highest precedence + 1), so the request's span is current. */
        @Bean
        FilterRegistrationBean<TraceIdResponseFilter> traceIdResponseFilter(OrderTracing tracing) {
            FilterRegistrationBean<TraceIdResponseFilter> registration =
                    new FilterRegistrationBean<>(new TraceIdResponseFilter(tracing));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
            return registration;
        }
    }
}
