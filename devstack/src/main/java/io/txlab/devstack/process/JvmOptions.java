package io.txlab.devstack.process;

import io.txlab.devstack.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The options of every JVM the devstack starts, in one place: heap, collector, JIT, no PerfData (adr/0041: the
 * 50 ms sampling of the jstat counters costs an idle stack about a tenth of its JVMs' CPU, and nothing here reads
 * them; {@code jcmd <pid>} still works), and a GC log beside the component ({@code <run>/<component>/gc.log}) that the
 * comparison reads for pause times, and on running out of heap a heap dump into that folder and an exit (ADR 51: a JVM
 * past an {@code OutOfMemoryError} is in no known state; dead, it is seen as down and restarted, as the k8s manifests'
 * {@code -XX:+ExitOnOutOfMemoryError} has a pod restarted). {@code
 * TXLAB_JAVA_OPTIONS} (all child JVMs) and {@code TXLAB_<COMPONENT>_JAVA_OPTIONS} (one, e.g.
 * {@code TXLAB_ORDER_SERVICE_JAVA_OPTIONS}) are appended last, so they override the defaults.
 */
public final class JvmOptions {

    /** No hsperfdata file and no sampling of its counters; {@code -XX:+UsePerfData} in the environment turns it back on. */
    static final String NO_PERF_DATA = "-XX:-UsePerfData";

    /** File name of the GC log in a component's folder. */
    public static final String GC_LOG = "gc.log";

    private JvmOptions() {
    }

    /** C1 only: the JIT of every JVM of the stack except {@link #C2_COMPONENTS} (ADR 15, ADR 45). */
    static final String C1 = "-XX:TieredStopAtLevel=1";

    /** Tiered compilation up to C2, the JVM's own default, stated so the command line says it. */
    static final String C2 = "-XX:TieredStopAtLevel=4";

    /**
     * The orchestration flow's engine pair, on C2 (ADR 54): the Temporal test server and saga-orchestrator run the same
     * narrow protobuf, gRPC and workflow-replay paths for every workflow task, which C2 compiles in the first minutes;
     * each was 2-4 ms cheaper per order in both pairs. Everything else stays on C1.
     */
    static final Set<String> C2_COMPONENTS = Set.of(Topology.TEMPORAL, Topology.SAGA_ORCHESTRATOR);

    /** A Spring Boot service: C1 (ADR 15), except saga-orchestrator (ADR 54). */
    public static List<String> service(String component, Path dir) {
        return with(component, dir, "-Xmx256m", "-XX:+UseSerialGC", jit(component));
    }

    /** The JIT option of one component: {@link #C2} for {@link #C2_COMPONENTS}, else {@link #C1}. */
    static String jit(String component) {
        return C2_COMPONENTS.contains(component) ? C2 : C1;
    }

    /**
     * The broker. C1 only, like the services (ADR 15): over a comparison's minutes C2 spent ~40 % of the broker's
     * CPU compiling, more than its faster code saves at tens of events per second; ADR 54's pairs did not resolve a
     * saving after six minutes either.
     */
    public static List<String> kafka(String component, Path dir) {
        return with(component, dir, "-Xmx384m", "-Xms64m", "-XX:+UseSerialGC", jit(component),
                "-Djava.awt.headless=true");
    }

    /** The Temporal test server: C2 (ADR 54). */
    public static List<String> temporal(String component, Path dir) {
        return with(component, dir, "-Xmx512m", "-Xms64m", "-XX:+UseSerialGC", jit(component));
    }

    public static List<String> zipkin(String component, Path dir) {
        return with(component, dir, "-Xmx320m", "-Xms32m", "-XX:+UseSerialGC", C1);
    }

    /** The link proxy ({@code ./txlab up --links}): copies bytes between sockets, a small heap is plenty. */
    public static List<String> links(String component, Path dir) {
        return with(component, dir, "-Xmx64m", "-Xms16m", "-Xss256k", "-XX:+UseSerialGC", C1);
    }

    /** A short-lived tool run to completion (Kafka's storage format): small, quick to start, no GC log. */
    public static List<String> tool() {
        return List.of("-Xmx128m", "-XX:+UseSerialGC", C1);
    }

    /** {@code -Xlog:gc} into the component's folder, without rotation (a restart starts a new file). */
    static String gcLog(Path dir) {
        return "-Xlog:gc:file=" + dir.resolve(GC_LOG).toAbsolutePath() + ":uptime:filecount=0";
    }

    /** A heap dump into the component's folder ({@code java_pid<pid>.hprof}), then exit. */
    static List<String> onOutOfMemory(Path dir) {
        return List.of("-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + dir.toAbsolutePath(),
                "-XX:+ExitOnOutOfMemoryError");
    }

    private static List<String> with(String component, Path dir, String... defaults) {
        List<String> options = new ArrayList<>(Arrays.asList(defaults));
        options.add(NO_PERF_DATA);
        options.add(gcLog(dir));
        options.addAll(onOutOfMemory(dir));
        options.addAll(fromEnvironment("TXLAB_JAVA_OPTIONS"));
        options.addAll(fromEnvironment("TXLAB_" + component.toUpperCase(Locale.ROOT).replace('-', '_') + "_JAVA_OPTIONS"));
        return options;
    }

    private static List<String> fromEnvironment(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
    }
}
