package io.txlab.loadtests.config;

import io.gatling.javaapi.core.ClosedInjectionStep;
import io.gatling.javaapi.core.OpenInjectionStep;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

/**
 * Everything one Gatling run needs, read from system properties so the same simulation runs from the compare
 * command (which sets them before each in-process run), from {@code -D} on a command line, or from a test.
 *
 * <ul>
 *   <li>{@code flow} - one of the five flow ids (default choreography), or several separated by commas: the orders
 *       then go to the flows in turn (order 1 to the first, order 2 to the second, ...), at {@code rate} in total</li>
 *   <li>{@code rate} - arrivals per second, open model (default 50)</li>
 *   <li>{@code inFlight} - when positive, a closed model instead: that many orders in flight at all times, each
 *       virtual user's order placed as soon as the one before it is final, for {@code ramp} plus {@code duration}
 *       seconds ({@code rate} is then unused; default 0, the open model)</li>
 *   <li>{@code duration} - seconds at {@code rate} (default 10); whole seconds, as Gatling injects per second</li>
 *   <li>{@code ramp} - seconds of a linear ramp from {@code rampFrom} to {@code rate} before that (default 0)</li>
 *   <li>{@code rampFrom} - where the ramp starts, orders/s (default a tenth of {@code rate}, at least 1)</li>
 *   <li>{@code mix} - succeed,declined,outOfStock percentages (default 85,10,5)</li>
 *   <li>{@code seed} - makes the order sequence reproducible (default 42)</li>
 *   <li>{@code baseUrl} - order-service (default http://127.0.0.1:8081)</li>
 *   <li>{@code runId} - prefix of every Idempotency-Key, so the run's orders can be found in the database</li>
 *   <li>{@code recordFile} - where the per-order samples go (CSV, see {@code SampleFile})</li>
 *   <li>{@code waitForFinal} - long-poll wait in seconds (default 10)</li>
 *   <li>{@code maxP99Ms}, {@code maxErrorPercent} - the run's declared Gatling assertions</li>
 *   <li>{@code tracing} - {@code off} (default: every order carries a W3C {@code traceparent} that is not sampled,
 *       so no service records a span whatever its own sampling probability), {@code on} (every order's trace
 *       sampled), or {@code none} (no header: the services' own sampling decides)</li>
 * </ul>
 */
public record LoadSettings(String flow, double rate, Duration duration, Duration ramp, double rampFrom, WorkloadMix mix,
                           long seed, String baseUrl, String runId, Path recordFile, int waitForFinalSeconds,
                           int maxP99Ms, double maxErrorPercent, TraceMode tracing, int inFlight) {

    /** Whether, and how, the load generator starts the orders' traces. */
    public enum TraceMode {
        /** A {@code traceparent} on every order, never sampled: no spans are recorded or exported. */
        OFF,
        /** A {@code traceparent} on every order, always sampled: the services record and export every span. */
        ON,
        /** No {@code traceparent}: the services' own sampling probability decides. */
        NONE;

        public static TraceMode parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "off", "unsampled" -> OFF;
                case "on", "sampled" -> ON;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException("tracing must be off, on or none, got '" + text + "'");
            };
        }
    }

    public LoadSettings {
        if (inFlight < 0) {
            throw new IllegalArgumentException("inFlight must be 0 (open model) or positive, got " + inFlight);
        }
        if (inFlight == 0 && rate <= 0) {
            throw new IllegalArgumentException("rate must be positive, got " + rate);
        }
        if (duration.toMillis() % 1000 != 0 || ramp.toMillis() % 1000 != 0 || duration.isNegative() || ramp.isNegative()
                || duration.plus(ramp).isZero()) {
            throw new IllegalArgumentException("duration and ramp must be whole seconds (Gatling injects per second), "
                    + "together positive, got " + duration + " and " + ramp);
        }
    }

    /** A constant rate, no ramp, traces off. */
    public static LoadSettings constant(String flow, double rate, Duration duration, WorkloadMix mix, long seed,
                                        String baseUrl, String runId, Path recordFile, int waitForFinalSeconds) {
        return new LoadSettings(flow, rate, duration, Duration.ZERO, defaultRampFrom(rate), mix, seed, baseUrl, runId,
                recordFile, waitForFinalSeconds, 1000, 1, TraceMode.OFF, 0);
    }

    public LoadSettings withRamp(Duration rampDuration, double from) {
        return new LoadSettings(flow, rate, duration, rampDuration, from, mix, seed, baseUrl, runId, recordFile,
                waitForFinalSeconds, maxP99Ms, maxErrorPercent, tracing, inFlight);
    }

    public LoadSettings withTracing(TraceMode mode) {
        return new LoadSettings(flow, rate, duration, ramp, rampFrom, mix, seed, baseUrl, runId, recordFile,
                waitForFinalSeconds, maxP99Ms, maxErrorPercent, mode, inFlight);
    }

    public LoadSettings withAssertions(int p99Ms, double errorPercent) {
        return new LoadSettings(flow, rate, duration, ramp, rampFrom, mix, seed, baseUrl, runId, recordFile,
                waitForFinalSeconds, p99Ms, errorPercent, tracing, inFlight);
    }

    /** The flows of this run, in the order they take turns. */
    public List<String> flows() {
        return Arrays.stream(flow.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
    }

    /**
     * The ramp (if any), then the constant rate (if any): what the simulation injects, and what timing replays. Empty
     * in the closed model, which has no arrival schedule: each order is timed from its POST.
     */
    public List<OpenInjectionStep> injection() {
        List<OpenInjectionStep> steps = new ArrayList<>();
        if (closed()) {
            return steps;
        }
        if (!ramp.isZero()) {
            steps.add(rampUsersPerSec(rampFrom).to(rate).during(ramp));
        }
        if (!duration.isZero()) {
            steps.add(constantUsersPerSec(rate).during(duration));
        }
        return steps;
    }

    /** Whether this run keeps {@link #inFlight} orders in flight (closed model) rather than arriving at {@link #rate}. */
    public boolean closed() {
        return inFlight > 0;
    }

    /**
     * The closed model's injection: users added one by one over the ramp (if any) up to {@link #inFlight}, then that many
     * for the run's duration; empty in the open model. A ramp spares the stack a start with every order placed at once:
     * a burst a steady closed loop never makes, whose slowest orders would hold their users long into the run.
     */
    public List<ClosedInjectionStep> closedInjection() {
        List<ClosedInjectionStep> steps = new ArrayList<>();
        if (!closed()) {
            return steps;
        }
        if (!ramp.isZero()) {
            steps.add(rampConcurrentUsers(1).to(inFlight).during(ramp));
        }
        if (!duration.isZero()) {
            steps.add(constantConcurrentUsers(inFlight).during(duration));
        }
        return steps;
    }

    public static LoadSettings fromSystemProperties() {
        return from(System.getProperties());
    }

    public static LoadSettings from(Properties p) {
        String flow = p.getProperty("flow", "choreography");
        String runId = p.getProperty("runId", "gatling-" + flow + "-" + System.currentTimeMillis());
        double rate = Double.parseDouble(p.getProperty("rate", "50"));
        return new LoadSettings(
                flow,
                rate,
                seconds(p.getProperty("duration", "10")),
                seconds(p.getProperty("ramp", "0")),
                Double.parseDouble(p.getProperty("rampFrom", Double.toString(defaultRampFrom(rate)))),
                WorkloadMix.parse(p.getProperty("mix", WorkloadMix.DEFAULT.toString())),
                Long.parseLong(p.getProperty("seed", "42")),
                p.getProperty("baseUrl", "http://127.0.0.1:8081"),
                runId,
                Path.of(p.getProperty("recordFile", "target/samples/" + runId + ".csv")),
                Integer.parseInt(p.getProperty("waitForFinal", "10")),
                Integer.parseInt(p.getProperty("maxP99Ms", "1000")),
                Double.parseDouble(p.getProperty("maxErrorPercent", "1")),
                TraceMode.parse(p.getProperty("tracing", "off")),
                Integer.parseInt(p.getProperty("inFlight", "0")));
    }

    /** The properties {@link #from} reads back; the compare command sets these before an in-process run. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("flow", flow);
        p.setProperty("rate", Double.toString(rate));
        p.setProperty("duration", Long.toString(duration.toSeconds()));
        p.setProperty("ramp", Long.toString(ramp.toSeconds()));
        p.setProperty("rampFrom", Double.toString(rampFrom));
        p.setProperty("mix", mix.toString());
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("baseUrl", baseUrl);
        p.setProperty("runId", runId);
        p.setProperty("recordFile", recordFile.toString());
        p.setProperty("waitForFinal", Integer.toString(waitForFinalSeconds));
        p.setProperty("maxP99Ms", Integer.toString(maxP99Ms));
        p.setProperty("maxErrorPercent", Double.toString(maxErrorPercent));
        p.setProperty("tracing", tracing.name().toLowerCase(Locale.ROOT));
        p.setProperty("inFlight", Integer.toString(inFlight));
        return p;
    }

    /** Ramp plus constant part. */
    public Duration totalDuration() {
        return ramp.plus(duration);
    }

    public long expectedOrders() {
        return Math.round((rampFrom + rate) / 2 * ramp.toSeconds() + rate * duration.toSeconds());
    }

    static double defaultRampFrom(double rate) {
        return Math.max(1, rate / 10);
    }

    private static Duration seconds(String text) {
        return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
    }
}
