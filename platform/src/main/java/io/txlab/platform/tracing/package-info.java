/**
 * One trace per order, the same in every service: Spring Boot's Micrometer Observation/Tracing over the
 * OpenTelemetry SDK (bridge {@code micrometer-tracing-bridge-otel}), exported to Zipkin by the SDK's Zipkin exporter.
 *
 * <h2>What carries the context</h2>
 * <ul>
 *   <li>HTTP: every {@code RestClient} is built from Boot's {@code RestClient.Builder} (client observation, W3C
 *       {@code traceparent} and {@code baggage} headers); Spring MVC's server observation continues it.</li>
 *   <li>Kafka: the template and listener observations ({@code spring.kafka.template|listener.observation-enabled},
 *       set by {@link io.txlab.platform.tracing.TracingDefaults}) put the context in record headers. An event a
 *       listener only ignores is skipped before its observation, so it has no consumer span (adr/0050).</li>
 *   <li>Outbox: {@link io.txlab.platform.tracing.OutboxTraceContext} stores it with the row ({@code trace_headers})
 *       and both relays send inside an {@code outbox relay} span continuing it.</li>
 *   <li>Temporal: {@code io.txlab.platform.orchestration.TemporalTracing} (Temporal's OpenTracing interceptors over the
 *       SDK through the OpenTracing shim).</li>
 *   <li>JDBC: {@code datasource-micrometer} spans at connection and query level, only inside a sampled span (pollers
 *       and sweeps start no traces, unsampled requests pay nothing for them).</li>
 *   <li>Pool threads that carry an order's work (flow launchers, the 2PC coordinator's calls) run in the submitting
 *       context through {@link io.txlab.platform.tracing.OrderTracing#wrap} and
 *       {@link io.txlab.platform.tracing.OrderTracing#inCurrentContext}.</li>
 * </ul>
 *
 * <h2>Settings</h2>
 * <table>
 *   <caption>tracing and log settings (environment variable / property)</caption>
 *   <tr><td>{@code MANAGEMENT_TRACING_SAMPLING_PROBABILITY}</td><td>default 0: only requests arriving with a sampled
 *       {@code traceparent} are recorded (parent-based); the devstack sets 1.0 when it runs Zipkin</td></tr>
 *   <tr><td>{@code TXLAB_TRACING_ZIPKIN_ENDPOINT}</td><td>{@code http://host:9411/api/v2/spans}; unset = no export</td></tr>
 *   <tr><td>{@code TXLAB_TRACING_TRACE_ID_HEADER}</td><td>{@code X-Trace-Id} on every response, default true</td></tr>
 *   <tr><td>{@code TXLAB_LOG_FORMAT}</td><td>{@code text} (default, {@code [traceId orderId]} in each line),
 *       {@code json}/{@code ecs}, {@code logstash}, {@code gelf}</td></tr>
 * </table>
 * The order id is baggage {@code orderId} ({@link io.txlab.platform.tracing.OrderTracing#correlate}, called where the
 * order is created): in the MDC of every log line and tagged on the spans ({@link
 * io.txlab.platform.tracing.OrderIdSpanTagger}).
 */
package io.txlab.platform.tracing;
