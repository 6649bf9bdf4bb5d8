package io.txlab.devstack.links;

import java.util.Locale;

/**
 * What a link does to its traffic.
 *
 * <ul>
 *   <li>{@code NONE}: forwards every byte as it comes.</li>
 *   <li>{@code DELAY}: adds {@code rttMs} to every round trip, half on each direction (each chunk is held until its
 *       read time plus half the round trip, so pipelined traffic is delayed, not throttled).</li>
 *   <li>{@code PARTITION}: packets dropped, not refused. Open connections stay open and nothing crosses them; new
 *       connections are accepted and never reach the other side. The sender sees what TCP shows when its segments
 *       go unanswered: writes that block once the buffers fill, reads that wait for its own timeouts. On heal,
 *       the bytes held are delivered, like TCP's retransmissions after a healed partition.</li>
 *   <li>{@code CUT}: every open connection is reset (RST) and new ones are reset on accept, until healed.</li>
 * </ul>
 */
public record Fault(Kind kind, int rttMs) {

    public static final Fault NONE = new Fault(Kind.NONE, 0);

    public enum Kind { NONE, DELAY, PARTITION, CUT }

    public Fault {
        if (kind == null) {
            throw new IllegalArgumentException("fault kind missing");
        }
        if (rttMs < 0 || rttMs > 600_000) {
            throw new IllegalArgumentException("round trip must be between 0 and 600000 ms, got " + rttMs);
        }
        if (kind != Kind.DELAY && rttMs != 0) {
            throw new IllegalArgumentException("only a delay has a round trip");
        }
        if (kind == Kind.DELAY && rttMs == 0) {
            throw new IllegalArgumentException("a delay needs a round trip above 0 ms");
        }
    }

    public static Fault delay(int rttMs) {
        return new Fault(Kind.DELAY, rttMs);
    }

    public static Fault partition() {
        return new Fault(Kind.PARTITION, 0);
    }

    public static Fault cut() {
        return new Fault(Kind.CUT, 0);
    }

    /** {@code none}, {@code partition}, {@code cut} or {@code delay} (with {@code rttMs}); case-insensitive. */
    public static Fault parse(String kind, int rttMs) {
        Kind k;
        try {
            k = Kind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault '" + kind + "' (none, delay, partition, cut)");
        }
        return new Fault(k, k == Kind.DELAY ? rttMs : 0);
    }

    /** Half the round trip, the delay each direction adds. */
    long oneWayNanos() {
        return kind == Kind.DELAY ? rttMs * 500_000L : 0;
    }

    @Override
    public String toString() {
        return kind == Kind.DELAY ? "delay " + rttMs + " ms" : kind.name().toLowerCase(Locale.ROOT);
    }
}
