package io.txlab.loadtests.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Everything one Gatling run needs, read from system properties so the same simulation runs from the compare
 * command (which sets them before each in-process run), from {@code -D} on a command line, or from a test.
 *
 * <ul>
 *   <li>{@code flow} - one of the five flow ids (default choreography), or several separated by commas: the orders
 *       then go to the flows in turn (order 1 to the first, order 2 to the second, ...), at {@code rate} in total</li>
 *   <li>{@code rate} - arrivals per second, open model (default 50)</li>
 *   <li>{@code duration} - injection time in seconds (default 10)</li>
 *   <li>{@code mix} - succeed,declined,outOfStock percentages (default 85,10,5)</li>
 *   <li>{@code seed} - makes the order sequence reproducible (default 42)</li>
 *   <li>{@code baseUrl} - order-service (default http://127.0.0.1:8081)</li>
 *   <li>{@code runId} - prefix of every Idempotency-Key, so the run's orders can be found in the database</li>
 *   <li>{@code recordFile} - where the per-order samples go (CSV, see {@code SampleFile})</li>
 *   <li>{@code waitForFinal} - long-poll wait in seconds (default 10)</li>
 *   <li>{@code maxP99Ms}, {@code maxErrorPercent} - the run's declared Gatling assertions</li>
 *   <li>{@code tracing} - {@code none} (default: no {@code traceparent} header, the services' own sampling decides)
 *       or {@code ab}: every order carries a W3C {@code traceparent}, sampled for odd and not sampled for even
 *       sequence numbers, so traced and untraced orders share the same run, or {@code unsampled}: every order
 *       carries one, never sampled (see {@link TraceMode})</li>
 *   <li>{@code ramp} - {@code true}: the arrival rate ramps linearly from a tenth of {@code rate} to {@code rate}
 *       over the run (a warm-up that lets a cold stack compile its paths instead of queueing); default false</li>
 * </ul>
 */
public record LoadSettings(String flow, double rate, Duration duration, WorkloadMix mix, long seed, String baseUrl,
                           String runId, Path recordFile, int waitForFinalSeconds, int maxP99Ms,
                           double maxErrorPercent, TraceMode tracing, boolean ramp) {

    /** Whether the load generator starts the orders' traces itself. */
    public enum TraceMode {
        /** No {@code traceparent}: the services' sampling probability decides (0 unless the devstack runs Zipkin). */
        NONE,
        /**
         * A {@code traceparent} on every order, sampled on odd sequence numbers and not on even ones. The services
         * sample parent-based, so this measures tracing's cost as traced vs untraced orders of the same run.
         */
        AB,
        /**
         * A {@code traceparent} on every order, none sampled: tracing configured but recording nothing, as with a low
         * production sampling rate. For load that measures capacity rather than tracing.
         */
        UNSAMPLED;

        public static TraceMode parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "none", "off" -> NONE;
                case "ab" -> AB;
                case "unsampled" -> UNSAMPLED;
                default -> throw new IllegalArgumentException("tracing must be none, ab or unsampled, got '" + text + "'");
            };
        }
    }

    /** The flows of this run, in the order they take turns. */
    public List<String> flows() {
        return Arrays.stream(flow.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
    }

    public static LoadSettings fromSystemProperties() {
        return from(System.getProperties());
    }

    public static LoadSettings from(Properties p) {
        String flow = p.getProperty("flow", "choreography");
        String runId = p.getProperty("runId", "gatling-" + flow + "-" + System.currentTimeMillis());
        return new LoadSettings(
                flow,
                Double.parseDouble(p.getProperty("rate", "50")),
                Duration.ofMillis(Math.round(Double.parseDouble(p.getProperty("duration", "10")) * 1000)),
                WorkloadMix.parse(p.getProperty("mix", WorkloadMix.DEFAULT.toString())),
                Long.parseLong(p.getProperty("seed", "42")),
                p.getProperty("baseUrl", "http://127.0.0.1:8081"),
                runId,
                Path.of(p.getProperty("recordFile", "target/samples/" + runId + ".csv")),
                Integer.parseInt(p.getProperty("waitForFinal", "10")),
                Integer.parseInt(p.getProperty("maxP99Ms", "1000")),
                Double.parseDouble(p.getProperty("maxErrorPercent", "1")),
                TraceMode.parse(p.getProperty("tracing", "none")),
                Boolean.parseBoolean(p.getProperty("ramp", "false")));
    }

    /** The properties {@link #from} reads back; the compare command sets these before an in-process run. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("flow", flow);
        p.setProperty("rate", Double.toString(rate));
        p.setProperty("duration", Double.toString(duration.toMillis() / 1000.0));
        p.setProperty("mix", mix.toString());
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("baseUrl", baseUrl);
        p.setProperty("runId", runId);
        p.setProperty("recordFile", recordFile.toString());
        p.setProperty("waitForFinal", Integer.toString(waitForFinalSeconds));
        p.setProperty("maxP99Ms", Integer.toString(maxP99Ms));
        p.setProperty("maxErrorPercent", Double.toString(maxErrorPercent));
        p.setProperty("tracing", tracing.name().toLowerCase(Locale.ROOT));
        p.setProperty("ramp", Boolean.toString(ramp));
        return p;
    }

    public long expectedOrders() {
        double mean = ramp ? (rampStart() + rate) / 2 : rate;
        return Math.round(mean * duration.toMillis() / 1000.0);
    }

    /** Where a ramped run starts. */
    public double rampStart() {
        return Math.max(1, rate / 10);
    }
}
