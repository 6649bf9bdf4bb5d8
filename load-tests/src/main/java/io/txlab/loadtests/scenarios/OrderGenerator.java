package io.txlab.loadtests.scenarios;

import io.txlab.loadtests.config.WorkloadMix;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A reproducible, endless sequence of orders: the same seed, mix and flows always give the same orders in the same
 * order (Gatling hands feeder records to virtual users one at a time, in arrival order). Only the Idempotency-Key
 * differs between runs, through the run id. With several flows, order n goes to flow {@code (n - 1) mod flows}.
 * Every order also gets a W3C trace context derived from its Idempotency-Key (unique per run and order, so two runs
 * never share a trace id, and tracing never changes the orders), in a sampled and an unsampled form: the run sends the
 * one its tracing mode asks for.
 */
public final class OrderGenerator implements Iterator<Map<String, Object>> {

    public static final int CUSTOMERS = 1000;
    public static final int SKUS = 1000;
    public static final int BROKE_CUSTOMERS = 10;
    public static final int SOLDOUT_SKUS = 10;

    private final List<String> flows;
    private final WorkloadMix mix;
    private final String runId;
    private final SplittableRandom random;
    private long sequence;

    public OrderGenerator(String flow, WorkloadMix mix, long seed, String runId) {
        this(List.of(flow), mix, seed, runId);
    }

    public OrderGenerator(List<String> flows, WorkloadMix mix, long seed, String runId) {
        if (flows.isEmpty()) {
            throw new IllegalArgumentException("at least one flow");
        }
        this.flows = List.copyOf(flows);
        this.mix = mix;
        this.runId = runId;
        this.random = new SplittableRandom(seed);
    }

    /** One generated order: what the feeder puts into the Gatling session. */
    public record Line(String sku, int quantity, BigDecimal unitPrice) {
    }

    /**
     * @param traceId     32 hex digits, the trace this order belongs to when the run starts traces itself
     * @param traceparent the W3C header for it, sampled: {@code 00-<traceId>-<parent span id>-01}
     */
    public record GeneratedOrder(long sequence, String idempotencyKey, OrderKind kind, String flow, String customerId,
                                 List<Line> lines, String body, String traceId, String traceparent) {

        public BigDecimal total() {
            return lines.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        public Map<String, Object> asFeederRecord() {
            Map<String, Object> record = new HashMap<>();
            record.put("seq", sequence);
            record.put("idempotencyKey", idempotencyKey);
            record.put("kind", kind.name());
            record.put("flow", flow);
            record.put("customerId", customerId);
            record.put("body", body);
            record.put("traceId", traceId);
            record.put("traceparentSampled", traceparent);
            record.put("traceparentUnsampled", traceparent.substring(0, traceparent.length() - 2) + "00");
            return record;
        }
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Map<String, Object> next() {
        return nextOrder().asFeederRecord();
    }

    public synchronized GeneratedOrder nextOrder() {
        long seq = ++sequence;
        String flow = flows.get((int) ((seq - 1) % flows.size()));
        int roll = random.nextInt(100);
        OrderKind kind = roll < mix.succeed() ? OrderKind.SUCCEED
                : roll < mix.succeed() + mix.declined() ? OrderKind.DECLINED : OrderKind.OUT_OF_STOCK;
        String customer = kind == OrderKind.DECLINED
                ? "BROKE-" + pad(1 + random.nextInt(BROKE_CUSTOMERS), 2)
                : "C-" + pad(1 + random.nextInt(CUSTOMERS), 4);
        List<Line> lines = new ArrayList<>();
        int lineCount = 1 + random.nextInt(2);
        List<Integer> used = new ArrayList<>();
        for (int i = 0; i < lineCount; i++) {
            int n = 1 + random.nextInt(SKUS);
            if (used.contains(n)) {
                continue;
            }
            used.add(n);
            lines.add(new Line("SKU-" + pad(n, 4), 1 + random.nextInt(3), unitPrice(n)));
        }
        if (kind == OrderKind.OUT_OF_STOCK) {
            lines.add(new Line("SOLDOUT-" + pad(1 + random.nextInt(SOLDOUT_SKUS), 2), 1, new BigDecimal("10.00")));
        }
        String body = "{\"customerId\":\"" + customer + "\",\"flow\":\"" + flow + "\",\"lines\":[" + String.join(",", lines.stream().map(l -> line(l.sku(), l.quantity(), l.unitPrice())).toList()) + "]}";
        String key = runId + "-" + seq;
        UUID trace = UUID.nameUUIDFromBytes(("trace:" + key).getBytes(StandardCharsets.UTF_8));
        String traceId = hex(trace.getMostSignificantBits()) + hex(trace.getLeastSignificantBits());
        long parentSpan = UUID.nameUUIDFromBytes(("span:" + key).getBytes(StandardCharsets.UTF_8)).getLeastSignificantBits() | 1L;
        String traceparent = "00-" + traceId + "-" + hex(parentSpan) + "-01";
        return new GeneratedOrder(seq, key, kind, flow, customer, List.copyOf(lines), body, traceId, traceparent);
    }

    /** The catalogue price of SKU-n in the seed migrations (orders carry their own unit price; this keeps them realistic). */
    static BigDecimal unitPrice(int n) {
        return new BigDecimal("10.00").add(BigDecimal.valueOf(n % 90));
    }

    private static String line(String sku, int quantity, BigDecimal unitPrice) {
        return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"unitPrice\":" + unitPrice.setScale(2).toPlainString() + "}";
    }

    private static String hex(long value) {
        String s = Long.toHexString(value);
        return "0".repeat(16 - s.length()) + s;
    }

    private static String pad(int n, int width) {
        String s = Integer.toString(n);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }
}
