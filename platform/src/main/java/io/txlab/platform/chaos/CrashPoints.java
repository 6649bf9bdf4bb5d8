package io.txlab.platform.chaos;

import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named places where a process halts itself at the worst moment of a protocol (e.g. after the local commit and before
 * publishing), so chaos runs can hit windows a SIGKILL from outside would rarely land in.
 *
 * <p>Disarmed unless the {@code chaos} Spring profile is active <em>and</em> {@code txlab.chaos.crash-points} names the
 * point: a production deployment cannot reach one by configuration mistake alone. The halt is
 * {@link Runtime#halt(int)} with exit code 137 (like SIGKILL): no shutdown hooks, no flushing, no graceful close.
 */
public class CrashPoints {

    private static final Logger log = LoggerFactory.getLogger(CrashPoints.class);

    /** Exit status of a halted process, the same as a process killed by SIGKILL. */
    public static final int HALT_STATUS = 137;

    private final Set<String> armed;
    private final Halter halter;

    /** How the process stops; replaced in tests that must observe the halt without dying. */
    @FunctionalInterface
    public interface Halter {
        void halt(String point);
    }

    /** A set of crash points that can never fire. */
    public static CrashPoints disarmed() {
        return new CrashPoints(Set.of(), point -> {
        });
    }

    public CrashPoints(Set<String> armed, Halter halter) {
        this.armed = Set.copyOf(armed);
        this.halter = halter;
    }

    static CrashPoints armed(Set<String> points) {
        return new CrashPoints(points, point -> {
            log.error("CHAOS: halting at crash point {} (exit {})", point, HALT_STATUS);
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        });
    }

    /** Halts the process if {@code point} is armed; otherwise does nothing. */
    public void reach(String point) {
        if (armed.contains(point)) {
            halter.halt(point);
        }
    }

    public Set<String> armedPoints() {
        return armed;
    }
}
